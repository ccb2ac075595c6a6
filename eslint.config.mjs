import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "app/node_modules/**",
      "policy/node_modules/**",
      "app/dist/**",
      "bin/**",
      "dist/**",
      "**/*.js",
      "**/*.mjs",
      // An example imports runway by its package name, which resolves only once the packed tarball is installed:
      // tools/pack-check.sh type-checks it there, under the example's own (Pulumi template) tsconfig.
      "examples/**",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // The project service finds each file's own tsconfig: the root one, app/tsconfig.json for app/,
      // policy/tsconfig.json for policy/.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      // An Output in a template literal prints "Calling [toString] on an Output<T> is not supported".
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // node:test's describe/it return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite"] },
          ],
        },
      ],
    },
  },
);
