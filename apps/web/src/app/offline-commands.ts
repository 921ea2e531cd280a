// Every feature's offline commands, registered when the app starts: what waits in the outbox holds a
// command's name, so whichever page is open can send what an earlier visit left waiting.
import { careCommands } from '../features/care/api/care.ts';
import { caseCommands } from '../features/cases/api/cases.ts';
import { pointsCommands } from '../features/points/api/points.ts';
import { registerCommands } from '../lib/outbox.ts';

export function registerOfflineCommands(): void {
  registerCommands(caseCommands.routes, pointsCommands.routes, careCommands.routes);
}
