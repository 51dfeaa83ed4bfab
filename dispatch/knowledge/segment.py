"""Chinese word segmentation (jieba) owned by the app, not by a module global."""

from __future__ import annotations

import logging

import jieba
from flask import Flask, current_app

EXTENSION = "knowledge_segmenter"


class Segmenter:
    """A jieba tokenizer of its own, loaded on first use (its dictionary is read only after)."""

    def __init__(self):
        self._tokenizer: jieba.Tokenizer | None = None

    def cut(self, text: str) -> list[str]:
        """Return the search segmentation of `text` (words and their sub-words)."""
        if self._tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            self._tokenizer = tokenizer
        return list(self._tokenizer.cut_for_search(text))


def init(app: Flask) -> None:
    """Attach the app's segmenter."""
    app.extensions[EXTENSION] = Segmenter()


def app_segmenter() -> Segmenter:
    """Return the running app's segmenter (for views, CLI and demo data)."""
    return current_app.extensions[EXTENSION]
