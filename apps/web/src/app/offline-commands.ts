// Every feature's offline commands, registered when the app starts: what waits in the outbox holds a
// command's name, so whichever page is open can send what an earlier visit left waiting.
import { agriCommands } from '../features/agri/api/agri-commands.ts';
import { careCommands } from '../features/care/api/care.ts';
import { caseCommands } from '../features/cases/api/cases.ts';
import { pointsCommands } from '../features/points/api/points.ts';
import { povertyCommands } from '../features/poverty/api/poverty.ts';
import { registerCommands, startOutbox } from '../lib/outbox.ts';

/**
 * Registers the commands and starts sending: on whichever page the app opens, what waits goes out
 * when the network is back. Started only by a few pages before, a caretaker's visit saved offline on
 * the rounds page stayed unsent until they opened one of those.
 */
export function registerOfflineCommands(): void {
  registerCommands(caseCommands.routes, pointsCommands.routes, careCommands.routes, agriCommands.routes, povertyCommands.routes);
  startOutbox();
}
