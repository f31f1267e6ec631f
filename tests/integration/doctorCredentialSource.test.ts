// doctor: a tier rooted in credential_source = Ec2InstanceMetadata / EcsContainer fails where that endpoint
// does not answer (the README's EC2 sample copied to a laptop), with the fix; ok where it answers.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor } from '../../electron/node/doctor';
import { makeSandbox, runCli } from '../helpers/cli';

const SEED = readFileSync(path.join(__dirname, '..', 'fixtures', 'seed-config.ini'), 'utf8');

let server: Server | undefined;
afterEach(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('doctor: credential_source where its endpoint does not answer', () => {
  it('Ec2InstanceMetadata on a machine without IMDS → fail naming both tiers, with the laptop fix; the chain checks stay as they were', async () => {
    const sb = makeSandbox();
    sb.writeConfig(SEED);
    const env = { ...sb.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: await closedPort() };
    delete (env as Record<string, string | undefined>).AWS_EC2_METADATA_DISABLED;
    const checks = await runDoctor(env);
    expect(checks.find((c) => c.id === 'chain-readonly')).toMatchObject({ status: 'ok' });
    const c = checks.find((x) => x.id === 'credential-source')!;
    expect(c.status).toBe('fail');
    expect(c.message).toContain(
      'claudecode-readonly and claudecode-elevated get credentials from credential_source = Ec2InstanceMetadata',
    );
    expect(c.fix).toContain('elevate setup');
    // the CLI prints it and exits 1
    const r = runCli(['doctor'], env);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('[FAIL] credential-source: ');
    expect(r.stdout).toContain('fix: on a laptop, run `elevate setup`');
  });

  it('AWS_EC2_METADATA_DISABLED set → fail saying to unset it', async () => {
    const sb = makeSandbox();
    sb.writeConfig(SEED);
    const c = (await runDoctor(sb.env)).find((x) => x.id === 'credential-source')!;
    expect(c.status).toBe('fail');
    expect(c.fix).toContain('unset AWS_EC2_METADATA_DISABLED');
  });

  it('IMDSv2 answering → ok with the instance id', async () => {
    const url = await listen((req, res) => {
      if (req.method === 'PUT') return void res.end('T');
      if (req.headers['x-aws-ec2-metadata-token'] !== 'T') return void res.writeHead(401).end();
      if (req.url === '/latest/meta-data/instance-id') return void res.end('i-0feed');
      res.writeHead(404).end();
    });
    const sb = makeSandbox();
    sb.writeConfig(SEED);
    const env = { ...sb.env, AWS_EC2_METADATA_SERVICE_ENDPOINT: url };
    delete (env as Record<string, string | undefined>).AWS_EC2_METADATA_DISABLED;
    const c = (await runDoctor(env)).find((x) => x.id === 'credential-source')!;
    expect(c).toMatchObject({ status: 'ok', message: expect.stringContaining('i-0feed') });
  });

  it('EcsContainer: no container endpoint → fail; an answering FULL_URI → ok; profiles without credential_source get no such check', async () => {
    const sb = makeSandbox();
    sb.writeConfig(SEED.replace(/Ec2InstanceMetadata/g, 'EcsContainer'));
    const fail = (await runDoctor(sb.env)).find((x) => x.id === 'credential-source')!;
    expect(fail.status).toBe('fail');
    expect(fail.message).toContain('neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set');
    const url = await listen((_req, res) => void res.end('{}'));
    const ok = (await runDoctor({ ...sb.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${url}/creds` })).find(
      (x) => x.id === 'credential-source',
    )!;
    expect(ok.status).toBe('ok');
    sb.writeConfig(
      '[profile admin]\naws_access_key_id = AKIAX\naws_secret_access_key = y\n[profile claudecode-readonly]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = admin\n',
    );
    expect((await runDoctor(sb.env)).find((x) => x.id === 'credential-source')).toBeUndefined();
  });
});
