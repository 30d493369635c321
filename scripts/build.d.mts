// Types for build.mjs, which npm start, the bench and the test setup share.
export const API_SERVER: string;
export function build(options?: { quiet?: boolean }): Promise<void>;
