// Thin wrapper over node:util parseArgs that turns its errors into UsageError.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isTier, type Tier } from '../../shared/types';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

export function tierArg(value: string | undefined, usage: string): Tier {
  if (!isTier(value))
    throw new UsageError(
      `${value === undefined ? 'missing tier' : `unknown tier "${value}"`}: expected readonly or elevated\nusage: ${usage}`,
    );
  return value;
}
