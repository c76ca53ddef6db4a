import type { BreakerLibrary, LibraryName } from './breaker.ts';
import { cockatiel } from './cockatiel.ts';
import { mollitia } from './mollitia.ts';
import { opossum } from './opossum.ts';

/** Every library the lab knows, in display order. */
export const LIBRARIES: Record<LibraryName, BreakerLibrary> = { opossum, cockatiel, mollitia };
