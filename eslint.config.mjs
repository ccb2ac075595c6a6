import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "app/**", "bin/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
);
