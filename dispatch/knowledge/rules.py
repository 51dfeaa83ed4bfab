"""Pure rules of the knowledge base: lifecycles, content templates, search terms, SMS text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from dispatch.lifecycle import Lifecycle

REVIEW_INTERVAL = timedelta(days=180)  # REQUIREMENTS "Knowledge-entry review interval"
SMS_MAX_CHARS = 600
TITLE_WEIGHT, BODY_WEIGHT, CHAR_WEIGHT = 3, 1, 0
MAX_TERM = 64
LIST_FIELDS = ("solution_steps", "product_models", "tags", "media")


class EntryStatus(StrEnum):
    """States of an entry (KB-6)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    EXPIRED = "expired"
    RETIRED = "retired"


class VersionStatus(StrEnum):
    """States of one proposed text of an entry: the first one, or a change to a published one."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"


S, V = EntryStatus, VersionStatus
ENTRY_LIFECYCLE = Lifecycle(
    "entry",
    {
        S.DRAFT: {S.IN_REVIEW, S.RETIRED},
        S.IN_REVIEW: {S.DRAFT, S.PUBLISHED},  # a rejected entry returns to draft
        S.PUBLISHED: {S.EXPIRED, S.RETIRED},
        S.EXPIRED: {S.PUBLISHED, S.RETIRED},  # re-approved after review
        S.RETIRED: set(),
    },
)
VERSION_LIFECYCLE = Lifecycle(
    "version",
    {V.DRAFT: {V.IN_REVIEW}, V.IN_REVIEW: {V.DRAFT, V.APPROVED}, V.APPROVED: set()},
)


class ContentType(StrEnum):
    """Content types of KB-3."""

    FAQ = "faq"
    TROUBLESHOOTING = "troubleshooting"
    REPAIR_MANUAL = "repair_manual"
    OPERATION_GUIDE = "operation_guide"
    SERVICE_POLICY = "service_policy"
    SOLVED_CASE = "solved_case"
    WORKFLOW = "workflow"


class Visibility(StrEnum):
    INTERNAL = "internal"
    CUSTOMER = "customer"


class SourceKind(StrEnum):
    MANUAL = "manual"
    VISIT = "visit"
    DOCUMENT = "document"
    IMPORT = "import"


# The template each content type's text is validated against (KB-13): fields that must be
# filled, and the least number of solution steps.
TEMPLATES: dict[ContentType, tuple[tuple[str, ...], int]] = {
    ContentType.FAQ: (("title", "problem"), 1),
    ContentType.TROUBLESHOOTING: (("title", "problem", "cause"), 2),
    ContentType.REPAIR_MANUAL: (("title", "problem"), 2),
    ContentType.OPERATION_GUIDE: (("title",), 2),
    ContentType.SERVICE_POLICY: (("title",), 1),
    ContentType.SOLVED_CASE: (("title", "problem", "cause"), 1),
    ContentType.WORKFLOW: (("title",), 2),
}


def template_problems(content_type: str, text: dict) -> dict[str, list[str]]:
    """Return, per field, why `text` does not fit its content type's template (KB-13)."""
    required, least_steps = TEMPLATES[ContentType(content_type)]
    problems = {
        name: [f"a {content_type} entry needs a {name}"]
        for name in required
        if not (text.get(name) or "").strip()
    }
    steps = [s for s in text.get("solution_steps") or [] if s.strip()]
    if len(steps) < least_steps:
        problems["solution_steps"] = [
            f"a {content_type} entry needs at least {least_steps} step(s)"
        ]
    return problems


def can_approve(*, reviewer_id: int, author_id: int) -> bool:
    """Nobody approves their own submission (KB-6, ROL-5)."""
    return reviewer_id != author_id


def next_review(published_at: datetime, valid_until: datetime | None = None) -> datetime:
    """Return when a published text is due for review: the interval, or its end if sooner."""
    due = published_at + REVIEW_INTERVAL
    return min(due, valid_until) if valid_until else due


def solution_from_record(
    *, work_done: str | None, solution: str | None, result: str | None, parts: list
) -> list[str]:
    """Return the complete solution of a visit's service record as steps (KB-8)."""
    steps = [text.strip() for text in (work_done, solution) if text and text.strip()]
    if parts:
        used = ", ".join(f"{p['name']} ({p['code']}) x{p['quantity']}" for p in parts)
        steps.append(f"Parts / 配件: {used}")
    if result and result.strip():
        steps.append(f"Result / 结果: {result.strip()}")
    return steps


# --- search terms --------------------------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][0-9a-z\-\u3400-\u9fff]*")
ERROR_CODE = re.compile(r"\b[a-z]{1,3}-?\d{1,4}\b")

Cut = Callable[[str], Iterable[str]]  # jieba's cut_for_search, or any segmenter


def normalise(text: str) -> str:
    """Return text folded for matching: NFKC-ish width folding and lower case."""
    folded = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text or "")
    return folded.lower()


# Words that name the same thing in after-sales talk; a query for one also looks for the others.
SYNONYMS = (
    ("噪音", "声音", "响声", "异响", "noise", "noisy", "loud", "humming"),
    ("漏水", "滴水", "渗水", "积水", "leak", "leaking", "dripping", "drip"),
    ("开机", "启动", "不开机", "turn", "power", "start"),
    ("不热", "加热", "heat", "heating", "hot"),
    ("wifi", "无线", "wireless", "网络", "上网"),
    ("跳闸", "漏保", "漏电", "trip", "trips", "breaker"),
    ("干净", "洗不净", "洗不干净", "dirty", "clean"),
    ("烘干", "不干", "dry", "drying", "wet"),
    ("结冰", "结霜", "frost", "ice"),
    ("不转", "转动", "spin", "spinning"),
    ("收费", "费用", "多少钱", "fee", "cost", "price", "charge"),
    ("灯", "照明", "light"),
)
_SYNONYM_OF = {word: group for group in SYNONYMS for word in group}
# The names of each product category, indexed with its entries so "冰箱 噪音" or "tv" finds them.
PRODUCT_WORDS = {
    "aircon": ("空调", "aircon", "ac", "conditioner"),
    "washer": ("洗衣机", "washer", "washing"),
    "fridge": ("冰箱", "fridge", "refrigerator", "freezer"),
    "heater": ("热水器", "heater", "boiler"),
    "dishwasher": ("洗碗机", "dishwasher"),
    "tv": ("电视", "tv", "television"),
    "laptop": ("笔记本", "电脑", "laptop", "notebook", "computer"),
    "phone": ("手机", "phone", "mobile"),
    "sofa": ("沙发", "sofa", "couch"),
    "bed": ("床", "bed"),
    "wardrobe": ("衣柜", "柜门", "wardrobe", "closet"),
    "table": ("桌子", "餐桌", "table"),
    "chair": ("椅子", "chair"),
    "kitchen": ("厨电", "kitchen"),
    "smart": ("智能", "smart"),
}
_SUFFIXES = ("ing", "ed", "es", "s")


def stem(word: str) -> str:
    """Return a crude English stem ("draining" → "drain"); other words are returned unchanged."""
    if word.isascii() and word.isalpha() and len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
    return word


def words(text: str, cut: Cut) -> list[str]:
    """Return the words of `text`: segmented Chinese, English words (and their stems) and error
    codes ("e4")."""
    text = normalise(text)
    out = [w.strip() for w in cut(text)]
    out += [stem(w) for w in out if stem(w) != w]
    out += [code.replace("-", "") for code in ERROR_CODE.findall(text)]
    return [w[:MAX_TERM] for w in out if _WORD.fullmatch(w.strip())]


def with_synonyms(terms: list[str]) -> list[str]:
    """Return the terms followed by their synonyms (query side)."""
    extra = [w for t in terms for w in _SYNONYM_OF.get(t, ()) if w not in terms]
    return list(dict.fromkeys(terms + extra))


def index_terms(title: str, body: str, cut: Cut, product_category: str = "") -> dict[str, int]:
    """Return each term of an entry with its weight: title words count most; every Chinese
    character is a term too (weight 0), so one-character and unsegmented queries still match;
    the product's names count as body words."""
    terms: dict[str, int] = dict.fromkeys(PRODUCT_WORDS.get(product_category, ()), BODY_WEIGHT)
    for weight, text in ((TITLE_WEIGHT, title), (BODY_WEIGHT, body)):
        for word in words(text, cut):
            terms[word] = max(terms.get(word, 0), weight)
        for char in _CJK.findall(normalise(text)):
            terms.setdefault(char, CHAR_WEIGHT)
    return terms


def is_chinese(word: str) -> bool:
    """Return whether a word is made of Chinese characters only."""
    return bool(word) and all(_CJK.match(c) for c in word)


def query_terms(query: str, cut: Cut) -> list[str]:
    """Return the distinct terms of a search query; single characters count only when the
    query has no longer word ("不排水" looks for 排水, "冷" for 冷)."""
    found = list(dict.fromkeys(words(query, cut)))
    if any(len(w) > 1 for w in found):
        found = [w for w in found if len(w) > 1 or not _CJK.match(w)]
    if not found:
        found = list(dict.fromkeys(_CJK.findall(normalise(query))))
    return found[:20]


def facet(kind: str, value: str) -> str:
    """Return the index term that marks an entry's model or tag ("model:kx-2200")."""
    return f"{kind}:{normalise(value).strip()}"[:MAX_TERM]


def is_facet(term: str) -> bool:
    """Return whether an index term is a model or tag mark rather than a word."""
    return ":" in term


# --- output by channel (KB-12) -------------------------------------------------------------
_MARKUP = re.compile(r"(!?\[([^\]]*)\]\([^)]*\))|<[^>]+>|[*_`#>~|]+")


def plain(text: str) -> str:
    """Return text without Markdown or HTML markup: links keep their words, images go."""

    def keep(match: re.Match) -> str:
        if match.group(1):
            return "" if match.group(1).startswith("!") else match.group(2)
        return ""

    return re.sub(r"[ \t]+", " ", _MARKUP.sub(keep, text or "")).strip()


def sms_text(*, number: str, title: str, steps: list[str]) -> str:
    """Return an entry as one plain-text SMS: no markup, no attachments, within the limit."""
    lines = [f"{plain(title)} ({number})"]
    lines += [f"{i}. {plain(step)}" for i, step in enumerate(steps, start=1)]
    text = "\n".join(lines)
    return text if len(text) <= SMS_MAX_CHARS else text[: SMS_MAX_CHARS - 1] + "…"
