import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { dockerfileInstructions, dockerfilePath, finalStageUser, userKind } from "../../components/image/dockerfile";

const user = (...lines: string[]) => finalStageUser(lines.join("\n"));

describe("finalStageUser", () => {
  it("takes no USER as root: runway does not look into the base image", () => {
    assert.deepEqual(user("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04", 'CMD ["python3", "serve.py"]'), {
      user: undefined,
      kind: "root",
    });
  });

  it("takes USER root, USER 0 and USER 0:0 as root", () => {
    for (const value of ["root", "0", "0:0", "root:root", "0:1000"]) {
      assert.deepEqual(user("FROM debian", `USER ${value}`), { user: value, kind: "root" }, value);
    }
  });

  it("takes a numeric non-zero uid as numeric, whatever the group", () => {
    assert.deepEqual(user("FROM debian", "USER 65532"), { user: "65532", kind: "numeric" });
    assert.deepEqual(user("FROM debian", "USER 1000:0"), { user: "1000:0", kind: "numeric" });
    assert.deepEqual(user("FROM debian", "USER 1000:users"), { user: "1000:users", kind: "numeric" });
  });

  it("takes a name as named, which runAsNonRoot cannot verify", () => {
    assert.deepEqual(user("FROM gcr.io/distroless/base", "USER nonroot"), { user: "nonroot", kind: "named" });
    assert.deepEqual(user("FROM debian", "USER app:app"), { user: "app:app", kind: "named" });
  });

  it("takes a USER made of build variables as a variable, not judged", () => {
    assert.deepEqual(user("FROM mcr.microsoft.com/dotnet/aspnet:8.0", "USER $APP_UID"), {
      user: "$APP_UID",
      kind: "variable",
    });
  });

  it("reads the last USER of the final stage only", () => {
    assert.deepEqual(
      user(
        "FROM node:22 AS build",
        "USER 1000",
        "RUN npm ci",
        "FROM python:3.12-slim",
        "USER 1000",
        "RUN pip install torch",
        "USER root",
      ),
      { user: "root", kind: "root" },
    );
    assert.deepEqual(user("FROM node:22 AS build", "USER 65532", "FROM python:3.12-slim"), {
      user: undefined,
      kind: "root",
    });
  });

  it("follows FROM <earlier stage> to that stage's user, case-insensitively, past --platform", () => {
    assert.deepEqual(user("FROM debian AS Base", "USER 10001", "FROM --platform=linux/amd64 base", "RUN true"), {
      user: "10001",
      kind: "numeric",
    });
    assert.deepEqual(user("from debian as base", "user 10001", "from base as final", "user root"), {
      user: "root",
      kind: "root",
    });
  });

  it("reads instructions in any case, across continuations and comments", () => {
    assert.deepEqual(user("from debian", "run apt-get update \\", "  # a comment inside", "  && true", "user 42"), {
      user: "42",
      kind: "numeric",
    });
    assert.deepEqual(user("FROM debian", "USER \\", "  1001"), { user: "1001", kind: "numeric" });
    assert.deepEqual(user("FROM debian", "USER 10\\", "01"), { user: "1001", kind: "numeric" });
    assert.deepEqual(user("FROM debian", "# USER 1001", "RUN echo USER 1001"), { user: undefined, kind: "root" });
  });

  it("skips heredoc bodies", () => {
    assert.deepEqual(
      user(
        "FROM debian",
        "USER 1001",
        "COPY <<EOF /etc/motd",
        "USER root",
        "EOF",
        "RUN <<-'END' bash",
        "\tUSER 0",
        "\tEND",
      ),
      { user: "1001", kind: "numeric" },
    );
  });

  it("reads the sample app's Dockerfile as the numeric non-root user 65532", () => {
    const text = fs.readFileSync(path.join(__dirname, "..", "..", "app", "Dockerfile"), "utf8");
    assert.deepEqual(finalStageUser(text), { user: "65532:65532", kind: "numeric" });
  });
});

describe("dockerfileInstructions", () => {
  it("joins continuations, drops comments and empty lines, and upper-cases keywords", () => {
    assert.deepEqual(
      dockerfileInstructions(
        [
          "# syntax=docker/dockerfile:1",
          "FROM debian AS base",
          "",
          "run a \\",
          "",
          "  # note",
          "  b",
          "Env X=1 \\",
        ].join("\n"),
      ),
      [
        { keyword: "FROM", args: "debian AS base" },
        { keyword: "RUN", args: "a   b" },
        { keyword: "ENV", args: "X=1" },
      ],
    );
  });

  it("follows an escape directive", () => {
    assert.deepEqual(dockerfileInstructions(["# escape=`", "FROM windows", "COPY a `", "  C:\\app\\"].join("\r\n")), [
      { keyword: "FROM", args: "windows" },
      { keyword: "COPY", args: "a   C:\\app\\" },
    ]);
  });
});

describe("userKind and dockerfilePath", () => {
  it("classifies users", () => {
    assert.equal(userKind(undefined), "root");
    assert.equal(userKind("00"), "root");
    assert.equal(userKind("65532"), "numeric");
    assert.equal(userKind("ubuntu"), "named");
    assert.equal(userKind("${UID}:${GID}"), "variable");
  });

  it("places the Dockerfile in the context, as the build does: app/Dockerfile by default", () => {
    assert.equal(dockerfilePath({}), path.join("app", "Dockerfile"));
    assert.equal(dockerfilePath({ context: "svc", dockerfile: "gpu.Dockerfile" }), path.join("svc", "gpu.Dockerfile"));
  });
});
