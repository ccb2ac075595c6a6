/** One thing wrong with the config: `path` is what a user types after `pulumi config set`. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}
