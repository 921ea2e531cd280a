import { pointsBench } from './points.bench.ts';

console.table(await pointsBench({ seconds: 5 }));
