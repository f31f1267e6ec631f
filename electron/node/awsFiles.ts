// Reads the user's AWS files (never writes them) and builds the profile model from shared/.
import fs from 'node:fs';
import { buildAwsSetup, type AwsSetup } from '../../shared/awsConfig';
import { awsConfigPath, awsCredentialsPath, type Env } from './paths';

/** A file larger than this is refused rather than parsed (a real config is a few KB). */
export const MAX_AWS_FILE_BYTES = 16 * 1024 * 1024;

export class AwsFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'AwsFileError';
  }
}

function readAwsFile(file: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new AwsFileError(file, `${file}: cannot read (${code})`);
  }
  if (st.isDirectory()) throw new AwsFileError(file, `${file}: is a directory, expected an INI file`);
  if (st.size > MAX_AWS_FILE_BYTES) {
    throw new AwsFileError(
      file,
      `${file}: ${st.size} bytes is too large for an AWS config file (limit ${MAX_AWS_FILE_BYTES})`,
    );
  }
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AwsFileError(file, `${file}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** Throws AwsFileError or IniSyntaxError (both carry the file; the latter the line). */
export function readAwsSetup(env: Env = process.env): AwsSetup {
  const configPath = awsConfigPath(env);
  const credentialsPath = awsCredentialsPath(env);
  return buildAwsSetup(
    { path: configPath, text: readAwsFile(configPath) },
    { path: credentialsPath, text: readAwsFile(credentialsPath) },
  );
}
