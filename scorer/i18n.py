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
    "uniform_weights": ("uniform random weightings", "一様ランダムな重み付け"),
    "centred_weights": ("weightings drawn around these weights (concentration {k:g})",
                        "現在の重みを中心に抽出した重み付け（集中度 {k:g}）"),
    "first_share": ("It ranks first in {share:.0%} of {samples:,} {how}.",
                    "{samples:,}通りの{how}のうち {share:.0%} で首位です。"),
    "shared_first": ("{names} share first place at these weights.",
                     "この重みでは {names} が首位を分け合っています。"),
    "always_first": ("{name} stays first whatever the weight of any single axis.",
                     "{name}はどの評価項目の重みを単独で変えても首位のままです。"),
    "first_unless_below": ("{name} stays first unless the weight of {axis} drops below "
                           "{threshold:.2f} (now {weight:.2f}); then {other} leads.",
                           "{name}は「{axis}」の重みが{threshold:.2f}を下回らない限り"
                           "（現在{weight:.2f}）首位です。下回ると{other}が首位になります。"),
    "first_unless_above": ("{name} stays first unless the weight of {axis} rises above "
                           "{threshold:.2f} (now {weight:.2f}); then {other} leads.",
                           "{name}は「{axis}」の重みが{threshold:.2f}を超えない限り"
                           "（現在{weight:.2f}）首位です。超えると{other}が首位になります。"),
    "stability": ("Stability: one weight at a time, the others keep their proportions",
                  "安定性：重みを1つずつ動かす（他の重みの比率は保つ）"),
    "winner_range": ("Winner stays first", "首位が保たれる範囲"),
    "ranking_range": ("Ranking unchanged", "順位が変わらない範囲"),
    "acceptability": ("Rank acceptability (SMAA-2): share of {samples:,} {how} giving each rank",
                      "順位受容度（SMAA-2）：{samples:,}通りの{how}で各順位をとる割合"),
    "expected_rank": ("Expected rank", "期待順位"),
    "pairwise": ("P(row ranked above column)", "P(行が列より上位)"),
    "central": ("Central weights: mean weights when the project ranks first",
                "中心重み：首位となる場合の平均の重み"),
    "one_off": ("One point off: rank changes if a single axis score moved by one step",
                "1点の違い：評価項目の点数が1段階ずれた場合の順位の変化"),
    "no_one_off": ("No single one-step change of an axis score changes any rank.",
                   "どの評価項目の点数を1段階動かしても順位は変わりません。"),
    "never_first": ("never first", "首位なし"),
    "seed": ("seed", "シード"),
}


def t(word: str, lang: str = "en") -> str:
    """The interface word in `lang` (English when there is no translation)."""
    en, ja = _WORDS[word]
    return ja if lang == "ja" else en
