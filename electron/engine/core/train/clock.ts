/** The high-resolution clock that browsers, workers and Node all provide (not in the ES2022 lib the core compiles against). */
declare const performance: { now(): number };

export const now = (): number => performance.now();
