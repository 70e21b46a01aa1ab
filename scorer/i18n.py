"""Interface words in English and Japanese. Axis and grade labels come from the rubric."""

from __future__ import annotations

LANGS = ("en", "ja")

_WORDS: dict[str, tuple[str, str]] = {
    "rank": ("Rank", "順位"),
    "project": ("Project", "プロジェクト"),
    "score": ("Score", "加重スコア"),
    "total": ("Total", "総合点"),
    "grade": ("Grade", "評価"),
    "coverage": ("Coverage", "データ充足率"),
    "as_of": ("as of", "時点"),
    "profile": ("profile", "プロファイル"),
    "weights": ("weights", "重み"),
    "weight": ("Weight", "重み"),
    "override": ("override", "手動修正"),
    "overridden": ("* overridden by the analyst; `scorer explain` gives the reason",
                   "* アナリストによる手動修正（理由は `scorer explain` で表示）"),
    "axis": ("Axis", "評価項目"),
    "criterion": ("Criterion", "基準"),
    "outcome": ("Outcome", "判定"),
    "points": ("Points", "点"),
    "facts": ("Facts read", "参照した事実"),
    "why": ("Why", "理由"),
    "rule": ("Rule", "ルール"),
    "missing": ("not stated", "未記載"),
    "computed": ("computed", "算出値"),
    "base": ("base", "基礎点"),
    "pass": ("pass", "該当"),
    "fail": ("fail", "非該当"),
    "unknown": ("unknown", "不明"),
    "reason": ("reason", "理由"),
    "rubric": ("rubric", "ルーブリック"),
    "id": ("Id", "ID"),
    "label": ("Label", "名称"),
}


def t(word: str, lang: str = "en") -> str:
    """The interface word in `lang` (English when there is no translation)."""
    en, ja = _WORDS[word]
    return ja if lang == "ja" else en
