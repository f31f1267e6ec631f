// Help cannot drift from the parsers: for EVERY command, the options its parser is really given (captured
// by running it with an unknown option) are exactly the options its help lists, with the same type and
// short flag; every option has one line of help and every command an example.
import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../electron/cli/args';
import { renderHelp } from '../../electron/cli/help';
import { COMMANDS, specOf } from '../../electron/cli/main';
import { spec as hookSpec } from '../../electron/cli/commands/hook';
import { HOOK_EVENTS } from '../../shared/iam/hooks';

const PROBE = '--elevate-help-drift-probe';

describe('help registry', () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    it(`${name}: the parser's options are the help's options`, async () => {
      const mod = await entry.load();
      const spec = specOf(name, mod);
      expect(spec, `${name} has neither a spec export nor a fallback in help.ts`).toBeDefined();
      if (!spec) return;
      parseProbe.options = null;
      const err = await mod.run([PROBE]).then(
        () => null,
        (e: unknown) => e as Error,
      );
      // setCurrentCommand is main()'s job; run() alone points to the top-level help.
      expect(err?.message, `${name} must reject an unknown option`).toBe(
        `unknown option ${PROBE}; see "elevate --help"`,
      );
      const parser = parseProbe.options as Record<string, { type: string; short?: string }> | null;
      expect(parser, `${name} did not call parse()`).not.toBeNull();
      const fromParser = Object.entries(parser ?? {})
        .map(([k, o]) => `--${k}:${o.type}${o.short ? `:-${o.short}` : ''}`)
        .sort();
      const fromHelp = Object.entries(spec.options)
        .map(([k, o]) => `--${k}:${o.type}${o.short ? `:-${o.short}` : ''}`)
        .sort();
      expect(fromHelp).toEqual(fromParser);
      const text = renderHelp(spec, entry.summary);
      for (const [k, o] of Object.entries(spec.options)) {
        expect(o.help.trim().length, `${name} --${k} has help`).toBeGreaterThan(0);
        expect(o.help, `${name} --${k}: one line`).not.toContain('\n');
        expect(text).toMatch(new RegExp(`--${k}\\b`));
      }
      expect(spec.examples.length, `${name} has an example`).toBeGreaterThan(0);
      expect(entry.summary.length).toBeGreaterThan(0);
    });
  }
});

describe('hook help', () => {
  // Its usage is literal text (so the hook bundle drops the spec): it must still name every event.
  it('names every hook event in its usage and arguments', () => {
    expect(hookSpec.usage[0]).toContain(`hook <${HOOK_EVENTS.join('|')}>`);
    expect(hookSpec.args.map(([a]) => a)).toEqual([...HOOK_EVENTS]);
  });
});
