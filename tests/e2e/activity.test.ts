// Issue 8 in the window: the built renderer (out/renderer) in real Chromium (/usr/bin/chromium through
// playwright-core), talking over the test-only WebSocket bridge (tests/helpers/bridge-server.ts) to a real
// ElevateCore. The core reads real session specs, settings (costGuard) and an activity.jsonl written by the
// shim's recorder code (parseShimPayload + recordCall, what out/cli/aws-activity.cjs runs).
// Screenshots, light and dark: tests/.artifacts/screenshots/ (docs/screenshots/ with ELEVATE_UPDATE_SCREENSHOTS=1).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ElevateCore } from '../../electron/app/core';
import { writeSession } from '../../electron/node/sessions';
import { activityLogPath, parseShimPayload, PAYLOAD_MAGIC, recordCall } from '../../electron/node/activity';
import { ManualClock, tempHome, type TempHome } from '../helpers/appFixture';

/** The page's globals this test touches (the node tsconfig has no DOM lib). */
interface PageGlobals {
  navigator: { clipboard: { writeText(t: string): Promise<void>; readText(): Promise<string> } };
  getSelection(): { toString(): string; removeAllRanges(): void } | null;
  DOMException: new (message: string, name: string) => Error;
}
import { startBridgeServer, type BridgeServer } from '../helpers/bridge-server';

const ROOT = resolve(__dirname, '..', '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const SHOTS = process.env.ELEVATE_UPDATE_SCREENSHOTS
  ? join(ROOT, 'docs', 'screenshots')
  : join(ROOT, 'tests', '.artifacts', 'screenshots');
const THEMES = ['light', 'dark'] as const;
const ARN = 'arn:aws:sts::111122223333:assumed-role/ClaudeReadOnly/dana-readonly';
const RO_SESSION = '20261124113000-abcd1234';
const EL_SESSION = '20261124115500-efef5678';

let browser: Browser;
let home: TempHome | null = null;
let core: ElevateCore | null = null;
let bridge: BridgeServer | null = null;

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html')))
    throw new Error('out/renderer is missing: run `npm run build` first (npm test does)');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await bridge?.close();
  core?.stop();
  home?.cleanup();
  bridge = core = home = null;
});

/** Today at 12:00 local time: the core's clock, so "today" is the same day whatever the hour of the run. */
function noonToday(): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), 12, 0, 0).getTime();
}

function recorder(env: Record<string, string>, tier: 'readonly' | 'elevated', session: string) {
  return (argv: string[], exit: number, at: number, stderr = '') => {
    const buf = Buffer.from(
      [PAYLOAD_MAGIC, String(at), '640', String(exit), '0', String(argv.length), ...argv].join('\0') +
        '\0' +
        stderr,
    );
    const p = parseShimPayload(buf);
    if (!p) throw new Error('shim payload did not parse');
    recordCall({ log: activityLogPath(env), session, tier, profile: `claudecode-${tier}` }, p);
  };
}

async function boot(): Promise<{ page: (theme: 'light' | 'dark') => Promise<Page>; t: number }> {
  const t = noonToday();
  home = tempHome();
  const env = home.env;
  writeFileSync(
    join(env.ELEVATE_HOME as string, 'settings.json'),
    JSON.stringify({ costGuard: { maxElevatedMinutesPerDay: 40, maxSessionMinutes: 120 } }),
  );
  const base = {
    kind: 'claude' as const,
    cwd: home.dir,
    argv: ['claude'],
    env: { set: {}, unset: [] },
  };
  // read-only since 11:30 (running: its runner is this process); an elevated 11:55–12:25 window running now
  writeSession(
    {
      ...base,
      id: RO_SESSION,
      tier: 'readonly',
      profile: 'claudecode-readonly',
      title: 'claude-ro',
      createdAt: new Date(t - 30 * 60_000).toISOString(),
      startedAt: new Date(t - 30 * 60_000).toISOString(),
      runnerPid: process.pid,
    },
    env,
  );
  writeSession(
    {
      ...base,
      id: EL_SESSION,
      tier: 'elevated',
      profile: 'claudecode-elevated',
      title: 'claude-el',
      createdAt: new Date(t - 5 * 60_000).toISOString(),
      startedAt: new Date(t - 5 * 60_000).toISOString(),
      deadline: new Date(t + 25 * 60_000).toISOString(),
      runnerPid: process.pid,
    },
    env,
  );
  // plus 30 elevated minutes this morning (audit: switch to elevated 09:00, back to read-only 09:30)
  writeFileSync(
    join(env.ELEVATE_HOME as string, 'audit.jsonl'),
    [
      { time: new Date(t - 180 * 60_000).toISOString(), type: 'switch', tier: 'elevated' },
      { time: new Date(t - 150 * 60_000).toISOString(), type: 'switch', tier: 'readonly' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n') + '\n',
  );
  const ro = recorder(env, 'readonly', RO_SESSION);
  ro(['sts', 'get-caller-identity'], 0, t - 20 * 60_000);
  ro(['s3', 'ls'], 0, t - 19 * 60_000);
  ro(
    ['s3api', 'get-object', '--bucket', 'reports', '--key', 'q3.csv', '/tmp/q3.csv'],
    254,
    t - 18 * 60_000,
    `\nAn error occurred (AccessDenied) when calling the GetObject operation: User: ${ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::reports/q3.csv" because no identity-based policy allows the s3:GetObject action\n`,
  );
  ro(
    ['ecs', 'update-service', '--cluster', 'prod', '--service', 'api', '--desired-count', '3'],
    254,
    t - 12 * 60_000,
    `\nAn error occurred (AccessDeniedException) when calling the UpdateService operation: User: ${ARN} is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:111122223333:service/prod/api because no identity-based policy allows the ecs:UpdateService action\n`,
  );
  recorder(env, 'elevated', EL_SESSION)(
    ['ecs', 'update-service', '--cluster', 'prod', '--service', 'api', '--desired-count', '3'],
    0,
    t - 2 * 60_000,
  );
  const h = home;
  core = new ElevateCore({
    env,
    clock: new ManualClock(t),
    platform: { notify: () => undefined, pickFolder: async () => h.dir },
    trustedSender: (url) => bridge !== null && url.startsWith(bridge.url),
    watchPlans: false,
  });
  core.start();
  bridge = await startBridgeServer(core, RENDERER);
  const b = bridge;
  return {
    t,
    page: async (theme) => {
      const p = await browser.newPage({ colorScheme: theme, viewport: { width: 1120, height: 800 } });
      const problems: string[] = [];
      p.on('pageerror', (e) => problems.push(e.message));
      p.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      (p as Page & { problems: string[] }).problems = problems;
      await p.goto(b.url);
      return p;
    },
  };
}

const problemsOf = (page: Page) => (page as Page & { problems: string[] }).problems;

async function shot(page: Page, name: string, theme: string): Promise<void> {
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
  await page.screenshot({ path: join(SHOTS, `${name}-${theme}.png`), fullPage: true });
}

describe('cost guard and aws activity in the window (Chromium, real core)', () => {
  it('Today card: elevated time, sessions and limits from main; the warning before the daily limit', async () => {
    const { page: open } = await boot();
    const usage = core?.getState().usage;
    // 30 min this morning + 5 min of the running elevated session; 2 sessions started today
    expect(usage).toMatchObject({ elevatedSecondsToday: 35 * 60, sessionsToday: 2 });
    expect(usage?.warnings.map((w) => [w.kind, w.level, w.minutesLeft])).toEqual([
      ['elevated-day', 'warn', 5],
    ]);
    for (const theme of THEMES) {
      const page = await open(theme);
      const today = page.getByTestId('today');
      await today.waitFor();
      expect(await today.getByRole('heading', { level: 2 }).textContent()).toBe('Today');
      expect(await page.getByTestId('today-elevated').textContent()).toBe('35 min');
      expect(await page.getByTestId('today-sessions').textContent()).toBe('2');
      const text = await today.textContent();
      expect(text).toContain('limit 40 min a day');
      expect(text).toContain('2 h 00 min'); // the session-length limit
      expect(await page.getByTestId('usage-warning').textContent()).toBe(
        '5 min of elevated time left today (limit 40 min)',
      );
      await shot(page, 'today', theme);
      expect(problemsOf(page)).toEqual([]);
      await page.close();
    }
  });

  it('Activity: recent aws calls (service:operation, tier, exit, denied action) and the hints with a copyable statement', async () => {
    const { page: open } = await boot();
    for (const theme of THEMES) {
      const page = await open(theme);
      await page.getByTestId('today').waitFor();
      await page.getByRole('button', { name: 'Activity' }).click();
      const rows = page.getByTestId('aws-call');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(5);
      // newest first: the elevated update-service that succeeded, then the denied one under read-only
      const cells = async (i: number) =>
        (await rows.nth(i).locator('td').allTextContents()).slice(1).map((c) => c.trim());
      expect(await cells(0)).toEqual(['claude-el', 'ecs:update-service', '0', '']);
      expect(await cells(1)).toEqual([
        'claude-ro',
        'ecs:update-service',
        '254',
        'ecs:UpdateService on arn:aws:ecs:us-east-1:111122223333:service/prod/api',
      ]);
      expect(await cells(2)).toEqual([
        'claude-ro',
        's3api:get-object',
        '254',
        's3:GetObject on arn:aws:s3:::reports/q3.csv',
      ]);
      const calls = await page.getByTestId('aws-calls').textContent();
      expect(calls).not.toContain('/tmp/q3.csv'); // argument values never reach the log
      expect(calls).toContain('5 of 5');

      // hints: the read for the read-only role; the write is a hand-off, offered for the elevated role
      const hints = page.getByTestId('hints-readonly');
      await hints.waitFor();
      expect(await hints.textContent()).toContain('claudecode-readonly');
      const policy = JSON.parse((await page.getByTestId('policy-readonly').textContent()) ?? 'null');
      expect(policy).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ElevateReadOnlyHints',
            Effect: 'Allow',
            Action: ['s3:GetObject'],
            Resource: 'arn:aws:s3:::reports/q3.csv',
          },
        ],
      });
      expect(await hints.textContent()).toContain('Writes denied under read-only: hand off instead');
      expect(await hints.locator('.hints__list code').allTextContents()).toEqual(['ecs:UpdateService']);
      const handoff = JSON.parse((await page.getByTestId('policy-handoff').textContent()) ?? 'null');
      expect(handoff.Statement[0].Action).toEqual(['ecs:UpdateService']);

      // Copy. Light: a page allowed to write the clipboard copies the statement. Dark: the app's session
      // denies every permission request, clipboard writes included (writeText rejects with NotAllowedError,
      // stood in for here): the statement is then selected for the user's own Ctrl+C
      if (theme === 'light') {
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
          origin: new URL(page.url()).origin,
        });
      } else {
        await page.evaluate(() => {
          const w = globalThis as unknown as PageGlobals;
          w.navigator.clipboard.writeText = () =>
            Promise.reject(new w.DOMException('Write permission denied.', 'NotAllowedError'));
        });
      }
      await hints.getByRole('button', { name: 'Copy' }).click();
      const status = hints.getByRole('status');
      if (theme === 'light') {
        await expect.poll(() => status.textContent()).toBe('Copied');
        expect(
          JSON.parse(
            await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText()),
          ),
        ).toEqual(policy);
      } else {
        await expect.poll(() => status.textContent()).toBe('Selected: press Ctrl+C (⌘C) to copy');
        const selected = await page.evaluate(
          () => (globalThis as unknown as PageGlobals).getSelection()?.toString() ?? '',
        );
        expect(JSON.parse(selected)).toEqual(policy);
      }
      await page.evaluate(() => (globalThis as unknown as PageGlobals).getSelection()?.removeAllRanges());
      await shot(page, 'activity', theme);
      expect(problemsOf(page)).toEqual([]);
      await page.close();
    }
  });

  it('Settings: the two cost-guard fields save through settings:set and the Today card follows', async () => {
    const { page: open } = await boot();
    const page = await open('light');
    await page.getByRole('button', { name: 'Settings' }).click();
    const day = page.getByLabel('Elevated time per day (minutes)');
    await day.waitFor();
    expect(await day.inputValue()).toBe('40');
    expect(await page.getByLabel('Session length (minutes)').inputValue()).toBe('120');
    await day.fill('');
    await page.getByLabel('Session length (minutes)').fill('45');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    expect(core?.getState().usage?.limits).toEqual({ maxElevatedMinutesPerDay: null, maxSessionMinutes: 45 });
    await page.getByRole('button', { name: 'Overview' }).click();
    const text = await page.getByTestId('today').textContent();
    expect(text).toContain('no daily limit');
    expect(text).toContain('45 min');
    expect(await page.getByTestId('usage-warning').count()).toBe(0);
    expect(problemsOf(page)).toEqual([]);
    await page.close();
  });
});
