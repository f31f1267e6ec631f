// The session `aws` shim (electron/node/activity.ts) around the REAL Debian aws CLI v2
// (/usr/bin/aws; the pyenv v1 first on PATH here is the trap the baked absolute path avoids), talking to
// the local endpoint (tests/helpers/awsServer.ts). Each call runs with and without the shim: exit codes,
// stdout and stderr must be byte-identical; the activity line must carry the denied action and never a
// secret value; SIGTERM/SIGINT sent to the shim must reach the real aws.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsTestEnv, startAwsServer, type AwsServer } from '../helpers/awsServer';
import { prepareShim, readActivity, type PreparedShim } from '../../electron/node/activity';
import { runSession } from '../../electron/node/runner';
import { writeSession } from '../../electron/node/sessions';
import type { ActivityRecord } from '../../shared/activity';

const REAL_AWS = '/usr/bin/aws';
const RECORDER = path.resolve(__dirname, '..', '..', 'out', 'cli', 'aws-activity.cjs');
const KEY = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  arn: 'arn:aws:iam::111111111111:user/agent',
};
const haveAws = fs.existsSync(REAL_AWS);
const haveRecorder = fs.existsSync(RECORDER);

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  pid: number;
}

function run(
  exe: string,
  args: string[],
  env: Record<string, string>,
  opts: { input?: string; stdinFile?: string; onSpawn?: (pid: number) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const stdinFd = opts.stdinFile ? fs.openSync(opts.stdinFile, 'r') : undefined;
    const child = spawn(exe, args, { env, stdio: [stdinFd ?? 'pipe', 'pipe', 'pipe'] });
    if (stdinFd !== undefined) fs.closeSync(stdinFd);
    const out: Buffer[] = [];
    const errs: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => errs.push(c));
    child.on('error', reject);
    child.stdin?.end(opts.input ?? '');
    if (opts.onSpawn && child.pid) opts.onSpawn(child.pid);
    child.on('close', (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(errs),
        pid: child.pid ?? 0,
      }),
    );
  });
}

async function waitFor<T>(fn: () => T | undefined, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

describe.skipIf(!haveAws || !haveRecorder)(
  `aws shim around the real ${REAL_AWS} (skipped when /usr/bin/aws or out/cli/aws-activity.cjs is missing: run npm run build)`,
  () => {
    let server: AwsServer;
    let root: string;
    let baseEnv: Record<string, string>;
    let hang: net.Server;
    let hangUrl: string;
    const hangSockets = new Set<net.Socket>();

    beforeAll(async () => {
      server = await startAwsServer({ staticKeys: [KEY] });
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'elevate-shim-'));
      fs.mkdirSync(path.join(root, 'home', '.aws'), { recursive: true });
      fs.writeFileSync(path.join(root, 'home', '.aws', 'config'), '');
      baseEnv = {
        PATH: `/usr/bin:/bin`,
        HOME: path.join(root, 'home'),
        ELEVATE_HOME: path.join(root, 'elevate'),
        AWS_CONFIG_FILE: path.join(root, 'home', '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(root, 'home', '.aws', 'credentials'),
        AWS_ACCESS_KEY_ID: KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
        AWS_PAGER: '',
        LANG: 'C.UTF-8',
        ...awsTestEnv(server),
      };
      // An endpoint that accepts and never answers: keeps the real aws busy for the signal tests.
      hang = net.createServer((sock) => hangSockets.add(sock));
      await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
      hangUrl = `http://127.0.0.1:${(hang.address() as net.AddressInfo).port}`;
    });

    afterAll(async () => {
      await server?.close();
      for (const s of hangSockets) s.destroy();
      await new Promise((r) => hang?.close(r));
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    describe.each(['perl', 'node'] as const)('%s shim', (mode) => {
      const sessionId = `20261124-shim${mode}1`;
      let shim: PreparedShim;
      let env: Record<string, string>;

      beforeAll(() => {
        const prepared = prepareShim(
          { id: sessionId, tier: 'readonly', profile: 'claudecode-readonly' },
          baseEnv,
          {
            mode,
            recorder: RECORDER,
            realAws: REAL_AWS,
          },
        );
        if (!prepared) throw new Error('prepareShim returned null');
        shim = prepared;
        env = { ...baseEnv, ...shim.env };
      });

      const records = (): ActivityRecord[] => readActivity(baseEnv, { sessionId });
      const nextRecord = async (before: number): Promise<ActivityRecord> =>
        waitFor(() => (records().length > before ? records()[before] : undefined));

      /** Runs `aws args` directly and through the shim (found on PATH as plain `aws`). */
      async function both(args: string[], stdinFile?: string) {
        const before = records().length;
        const direct = await run(REAL_AWS, args, baseEnv, { stdinFile });
        const shimmed = await run('aws', args, env, { stdinFile });
        const rec = await nextRecord(before);
        return { direct, shimmed, rec };
      }

      it('is found first on PATH and bakes the absolute real aws', () => {
        expect(env.PATH!.split(':')[0]).toBe(shim.pathDir);
        expect(fs.readFileSync(shim.shim, 'utf8')).toContain(REAL_AWS);
        expect(shim.mode).toBe(mode);
      });

      it('success: same exit code, stdout and stderr; the line has service, operation and flag names', async () => {
        const { direct, shimmed, rec } = await both([
          'sts',
          'get-caller-identity',
          '--endpoint-url',
          server.url,
          '--region',
          'us-east-1',
          '--output',
          'json',
        ]);
        expect(direct.status).toBe(0);
        expect(direct.stdout.toString()).toContain(KEY.arn);
        expect(shimmed.status).toBe(direct.status);
        expect(shimmed.stdout.equals(direct.stdout)).toBe(true);
        expect(shimmed.stderr.equals(direct.stderr)).toBe(true);
        expect(rec).toMatchObject({
          sessionId,
          tier: 'readonly',
          profile: 'claudecode-readonly',
          service: 'sts',
          operation: 'get-caller-identity',
          flags: ['--endpoint-url', '--region', '--output'],
          region: 'us-east-1',
          exitCode: 0,
        });
        expect(rec.durationMs).toBeGreaterThan(0);
        expect(JSON.stringify(rec)).not.toContain(server.url); // endpoint value not logged
        expect(JSON.stringify(rec)).not.toContain(KEY.arn); // output not logged
      });

      it('AccessDenied (SSM JSON): byte-identical output and exit code; the line has the denied action', async () => {
        server.denySsm('SendCommand');
        const { direct, shimmed, rec } = await both([
          'ssm',
          'send-command',
          '--endpoint-url',
          server.url,
          '--instance-ids',
          'i-0123456789abcdef0',
          '--document-name',
          'AWS-RunShellScript',
          '--parameters',
          'commands=cat /etc/secret-file',
        ]);
        expect(direct.status).toBe(254);
        expect(direct.stderr.toString()).toContain('AccessDeniedException');
        expect(shimmed.status).toBe(direct.status);
        expect(shimmed.stdout.equals(direct.stdout)).toBe(true);
        expect(shimmed.stderr.equals(direct.stderr)).toBe(true);
        expect(rec.exitCode).toBe(254);
        expect(rec.errorCode).toBe('AccessDeniedException');
        expect(rec.denied).toMatchObject({
          action: 'ssm:SendCommand',
          reason: 'no-identity-policy',
          inferred: false,
        });
        expect(rec.denied?.resource).toMatch(/^arn:aws:(ssm|ec2):/);
        expect(rec.flags).toEqual(['--endpoint-url', '--instance-ids', '--document-name', '--parameters']);
        expect(fs.readFileSync(path.join(baseEnv.ELEVATE_HOME!, 'activity.jsonl'), 'utf8')).not.toContain(
          'secret-file',
        );
      });

      it('AccessDenied (STS query/XML AssumeRole): the line has sts:AssumeRole and the role ARN', async () => {
        const role = 'arn:aws:iam::111111111111:role/Elevated';
        server.denyAssumeRole(role);
        const { direct, shimmed, rec } = await both([
          'sts',
          'assume-role',
          '--endpoint-url',
          server.url,
          '--role-arn',
          role,
          '--role-session-name',
          'agent',
        ]);
        expect(direct.status).toBe(254);
        expect(shimmed.status).toBe(direct.status);
        expect(shimmed.stdout.equals(direct.stdout)).toBe(true);
        expect(shimmed.stderr.equals(direct.stderr)).toBe(true);
        expect(rec.denied).toMatchObject({ action: 'sts:AssumeRole', resource: role });
      });

      it('a --secret-string / --cli-input-json value never reaches the log', async () => {
        const secret = `S3CR3T-${mode}-${process.pid}-value`;
        const before = records().length;
        const direct = await run(
          REAL_AWS,
          [
            'secretsmanager',
            'create-secret',
            '--endpoint-url',
            server.url,
            '--name',
            'db',
            '--secret-string',
            secret,
          ],
          baseEnv,
        );
        const shimmed = await run(
          'aws',
          [
            'secretsmanager',
            'create-secret',
            '--endpoint-url',
            server.url,
            '--name',
            'db',
            '--secret-string',
            secret,
          ],
          env,
        );
        await run(
          'aws',
          ['secretsmanager', 'create-secret', `--secret-string=${secret}`, '--name', 'db2'],
          env,
        );
        await run(
          'aws',
          [
            'secretsmanager',
            'create-secret',
            '--cli-input-json',
            JSON.stringify({ Name: 'x', SecretString: secret }),
          ],
          env,
        );
        await waitFor(() => (records().length >= before + 3 ? true : undefined));
        expect(direct.status).not.toBe(0); // the endpoint does not serve Secrets Manager; the log is the point
        expect(shimmed.status).toBe(direct.status);
        expect(shimmed.stderr.equals(direct.stderr)).toBe(true);
        const log = fs.readFileSync(path.join(baseEnv.ELEVATE_HOME!, 'activity.jsonl'), 'utf8');
        expect(log).not.toContain(secret);
        expect(log).not.toContain('S3CR3T');
        const recs = records().slice(before);
        expect(recs.map((r) => `${r.service} ${r.operation}`)).toEqual([
          'secretsmanager create-secret',
          'secretsmanager create-secret',
          'secretsmanager create-secret',
        ]);
        expect(recs[0]!.flags).toEqual(['--endpoint-url', '--name', '--secret-string']);
        expect(recs[2]!.flags).toEqual(['--cli-input-json']);
      });

      it('stdin reaches the real aws untouched', async () => {
        // (A file, not a node pipe: node's stdio pipes are sockets, which /proc/self/fd/0 cannot open.)
        const input = path.join(root, 'input.json');
        fs.writeFileSync(input, JSON.stringify({}));
        const args = [
          'sts',
          'get-caller-identity',
          '--endpoint-url',
          server.url,
          '--cli-input-json',
          'file:///proc/self/fd/0',
        ];
        const { direct, shimmed } = await both(args, input);
        expect(direct.status).toBe(0);
        expect(shimmed.status).toBe(0);
        expect(shimmed.stdout.equals(direct.stdout)).toBe(true);
      });

      it.each(['SIGTERM', 'SIGINT'] as const)('%s sent to the shim reaches the real aws', async (sig) => {
        const before = records().length;
        const connectedBefore = hangSockets.size;
        const args = ['sts', 'get-caller-identity', '--endpoint-url', hangUrl, '--cli-read-timeout', '30'];
        const started = Date.now();
        let childPid = 0;
        const shimmed = await run('aws', args, env, {
          onSpawn: (pid) => {
            void (async () => {
              // Wait until the real aws is a child of the shim (node fallback: of the node wrapper).
              childPid = await waitFor(() => childrenOf(pid)[0]);
              // The real aws has set up (signal handlers included) once it is waiting on the endpoint: a
              // fixed sleep raced python's start-up on a loaded machine.
              await waitFor(() => (hangSockets.size > connectedBefore ? true : undefined), 20_000);
              process.kill(pid, sig);
            })();
          },
        });
        const elapsed = Date.now() - started;
        expect(elapsed).toBeLessThan(20_000); // not the 30 s read timeout
        expect(childPid).toBeGreaterThan(0);
        expect(alive(childPid)).toBe(false);
        // Same signal through the real aws without the shim, for comparison.
        const connectedDirect = hangSockets.size;
        const direct = await run(REAL_AWS, args, baseEnv, {
          onSpawn: (pid) => {
            void (async () => {
              await waitFor(() => (hangSockets.size > connectedDirect ? true : undefined), 20_000);
              process.kill(pid, sig);
            })();
          },
        });
        expect(shimmed.signal).toBe(direct.signal);
        expect(shimmed.status).toBe(direct.status);
        const rec = await nextRecord(before);
        if (direct.signal) expect(rec.signal).toBe(direct.signal);
        else expect(rec.exitCode).toBe(direct.status);
      });
    });

    it('elevate run puts the shim first on the session PATH and the calls land in the activity log', async () => {
      const id = '20261124-runner01';
      const cwd = path.join(root, 'proj');
      fs.mkdirSync(cwd, { recursive: true });
      fs.writeFileSync(
        baseEnv.AWS_SHARED_CREDENTIALS_FILE!,
        `[claudecode-readonly]\naws_access_key_id = ${KEY.accessKeyId}\naws_secret_access_key = ${KEY.secretAccessKey}\n`,
      );
      server.denySsm('DescribeInstanceInformation');
      const script = [
        'command -v aws > which.txt',
        `aws sts get-caller-identity --endpoint-url ${server.url} > out.txt 2> err.txt; echo $? >> out.txt`,
        `aws ssm describe-instance-information --endpoint-url ${server.url} 2>> err.txt; echo $? >> out.txt`,
      ].join('\n');
      writeSession(
        {
          id,
          kind: 'command',
          tier: 'readonly',
          profile: 'claudecode-readonly',
          cwd,
          argv: ['/bin/sh', '-c', script],
          env: { set: { AWS_PROFILE: 'claudecode-readonly', AWS_REGION: 'us-east-1' }, unset: [] },
          title: 'shim test',
          createdAt: new Date().toISOString(),
        },
        baseEnv,
      );
      const runnerEnv = { ...baseEnv };
      delete runnerEnv.AWS_ACCESS_KEY_ID;
      delete runnerEnv.AWS_SECRET_ACCESS_KEY;
      const stderr: string[] = [];
      const code = await runSession(id, {
        env: runnerEnv,
        stderr: { write: (t: string) => stderr.push(t) },
        stdout: { write: () => true, isTTY: false },
      });
      expect(code).toBe(0);
      expect(fs.readFileSync(path.join(cwd, 'which.txt'), 'utf8').trim()).toBe(
        path.join(baseEnv.ELEVATE_HOME!, 'sessions', id, 'bin', 'aws'),
      );
      const lines = fs.readFileSync(path.join(cwd, 'out.txt'), 'utf8').trim().split('\n');
      expect(lines.at(-2)).toBe('0');
      expect(lines.at(-1)).toBe('254');
      const recs = await waitFor(() => {
        const r = readActivity(baseEnv, { sessionId: id });
        return r.length >= 2 ? r : undefined;
      });
      expect(recs.map((r) => [r.service, r.operation, r.exitCode, r.tier, r.profile])).toEqual([
        ['sts', 'get-caller-identity', 0, 'readonly', 'claudecode-readonly'],
        ['ssm', 'describe-instance-information', 254, 'readonly', 'claudecode-readonly'],
      ]);
      expect(recs[1]!.denied?.action).toBe('ssm:DescribeInstanceInformation');
    });
  },
);
