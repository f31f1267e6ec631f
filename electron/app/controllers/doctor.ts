// `doctor:run`: the same checks as `elevate doctor`, for the most recent project folder.
import { activityDoctor } from '../../node/activity';
import { claudeSettingsDoctor } from '../../node/claudeSettings';
import { touchedFiles } from '../../node/claudeSettingsSync';
import { runDoctor } from '../../node/doctor';
import { workstationDoctor } from '../../node/ssmConnect';
import { terminalDoctor } from '../../node/terminals';
import type { Runtime } from '../runtime';

export async function doctor(rt: Runtime): Promise<Awaited<ReturnType<typeof runDoctor>>> {
  const cwd = rt.store.state.settings.recentFolders[0] ?? rt.env.HOME ?? process.cwd();
  return runDoctor(rt.env, [
    claudeSettingsDoctor({ cwd, managedFiles: touchedFiles(rt.env).map((t) => t.file) }),
    terminalDoctor(rt.env),
    workstationDoctor(rt.env),
    activityDoctor(rt.env),
  ]);
}
