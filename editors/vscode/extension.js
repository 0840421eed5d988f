// Starts `accord lsp` for .accord files and connects VS Code to it over stdio.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("accord").get("command", "accord");
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "accord",
    "accord language server",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "accord" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
