"""The language server process: pygls over stdio, wired to accord's features.

In: protocol messages on stdin. Out: responses and notifications on stdout (diagnostics are pushed
after every opened or changed document, for each file of its folder whose diagnostics changed).
A document's rule folder is the folder that holds it; each is loaded once and kept. This is the
only module of accord that imports pygls.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from accord.lsp import features
from accord.lsp.convert import diagnostic
from accord.lsp.folder import RuleFolder


def _version() -> str:
    try:
        return version("accord")
    except PackageNotFoundError:
        return "0"


class AccordServer(LanguageServer):
    """A pygls server that keeps the rule folders of the documents it has seen."""

    def __init__(self) -> None:
        super().__init__("accord", _version(), text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.folders: dict[Path, RuleFolder] = {}
        self.published: dict[str, list[lsp.Diagnostic]] = {}

    def locate(self, uri: str) -> tuple[RuleFolder, Path] | None:
        """The document's folder (loaded on first use) and path, with its current text applied."""
        fs_path = to_fs_path(uri)
        if fs_path is None:
            return None
        path = Path(fs_path)
        root = path.parent.resolve()
        folder = self.folders.get(root)
        if folder is None:
            folder = self.folders[root] = RuleFolder(root)
        document = self.workspace.get_text_document(uri)
        text = document.source if document.source or document.version is not None else None
        if text is not None:
            folder.update(path, text)
        return folder, path

    def refresh(self, uri: str) -> None:
        located = self.locate(uri)
        if located is None:
            return
        folder, _ = located

        def uri_of(name: str) -> str | None:
            path = folder.path_of(name)
            return path.resolve().as_uri() if path is not None else None

        for name, found in folder.analysis.diagnostics.items():
            target = uri_of(name)
            if target is None:
                continue
            converted = [diagnostic(d, uri_of) for d in found]
            if self.published.get(target, []) != converted:
                self.published[target] = converted
                self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=target, diagnostics=converted))


def make_server() -> AccordServer:
    server = AccordServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AccordServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AccordServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: AccordServer, params: lsp.HoverParams) -> lsp.Hover | None:
        located = ls.locate(params.text_document.uri)
        return features.hover(*located, params.position) if located else None

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: AccordServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        located = ls.locate(params.text_document.uri)
        return features.definition(*located, params.position) if located else None

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: AccordServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        located = ls.locate(params.text_document.uri)
        if located is None:
            return []
        return features.references(*located, params.position, params.context.include_declaration)

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=["(", " ", ","]))
    def completion(ls: AccordServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        located = ls.locate(params.text_document.uri)
        return features.completion(*located, params.position) if located else lsp.CompletionList(False, [])

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: AccordServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        located = ls.locate(params.text_document.uri)
        return features.symbols(*located) if located else []

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: AccordServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit] | None:
        located = ls.locate(params.text_document.uri)
        return features.formatting(*located) if located else None

    return server


class _OneLine(logging.Formatter):
    """Log records as one line each: a malformed message is noted, not shown as a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        cause = f": {record.exc_info[1]}" if record.exc_info and record.exc_info[1] else ""
        return f"accord lsp: {record.levelname.lower()}: {record.getMessage()}{cause}"


def serve() -> None:
    """Answer protocol messages on stdin until the client says exit; log to stderr, one line a record."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)
    make_server().start_io()
