import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "app/**", "bin/**"] },
  ...tseslint.configs.recommended,
  {
    // Tests read deep into untyped resource inputs.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-console": "off",
    },
  },
);
