"""Interface words in English and Japanese. Axis and grade labels come from the rubric."""

from __future__ import annotations

LANGS = ("en", "ja")


def catalogue() -> dict[str, tuple[str, str]]:
    """Every interface text, key → (English, Japanese): what tests hold Japanese output to."""
    return dict(_WORDS)


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
    "uncertain": ("uncertain", "不確定"),
    "provisional": ("provisional", "暫定"),
    "provisional_note": ("provisional: a grade from fewer than {share:.0%} of criteria known "
                         "({names})", "暫定：判定に使えた基準が{share:.0%}未満の評価（{names}）"),
    "provisional_of": ("provisional: {share:.0%} of criteria known",
                       "暫定：基準の{share:.0%}のみ判明"),
    "could_give": ("could give", "取りうる点"),
    "could_be": ("could be", "ありうる範囲"),
    "reaches": ("reaches", "到達範囲"),
    "dates": ("dates", "時点"),
    "appeared": ("appeared", "新規"),
    "vanished": ("vanished", "消滅"),
    "no_change": ("no criterion changed", "変化した基準なし"),
    "days_earlier": ("{days} days earlier ({on})", "{days}日前（{on}）"),
    "no_history": ("no observation that old", "その時点の観測なし"),
    "with_evidence": ("{weights}, with the unknown and uncertain evidence drawn too",
                      "{weights}（不明・不確定な根拠も同時に抽出）"),
    "evidence_settled": ("Every criterion is settled: the evidence leaves no doubt.",
                         "すべての基準が確定しており、根拠に不確かさはありません。"),
    "evidence_holds": ("No single one of the {count} unknown or uncertain criteria, settled "
                       "either way, changes the winner.",
                       "不明・不確定な{count}件の基準のどれを単独で確定させても首位は変わりません。"),
    "evidence_flips": ("{count} unknown or uncertain criteria could each change the winner if "
                       "settled one way: e.g. if {condition}, {effect}.",
                       "不明・不確定な基準のうち{count}件は、確定次第で首位を変えうる。例：{condition}"
                       "なら{effect}。"),
    "if_holds": ("{name}: {rule} holds", "{name}：{rule} が成り立つ"),
    "if_fails": ("{name}: {rule} does not hold", "{name}：{rule} が成り立たない"),
    "if_below": ("{name}: {value} < {low}", "{name}：{value} < {low}"),
    "if_between": ("{name}: {low} ≤ {value} < {high}", "{name}：{low} ≤ {value} < {high}"),
    "if_at_least": ("{name}: {value} ≥ {low}", "{name}：{value} ≥ {low}"),
    "leads": ("{names} leads", "{names}が首位"),
    "share_lead": ("{names} share first place", "{names}が首位を分け合う"),
    "and": (" and ", "と"),
    "first_more_often": ("{name} ranks first more often: in {share:.0%}.",
                         "{name}の方が首位になる割合が高く、{share:.0%}です。"),
    "confidence": ("Confidence", "信頼係数"),
    "section.critical": ("Critical evidence: single unknown or uncertain criteria that, settled "
                         "one way, change the ranking",
                         "重要な根拠：単独で確定させると順位が変わる不明・不確定な基準"),
    "no_critical": ("No single unknown or uncertain criterion, settled either way, changes any "
                    "rank.", "不明・不確定な基準をどれか1つ確定させても順位は変わりません。"),
    "wrote_workbook": ("wrote {path}: {count} projects · {made_with} · {sampling}",
                       "{path} を作成：{count}件のプロジェクト · {made_with} · {sampling}"),
    "settled_by": ("settled by", "確定に必要なもの"),
    "settle_missing": ("a source stating {facts}", "{facts}を記載した出典"),
    "settle_undefined": ("an observation that gives the rule a value ({reason})",
                         "ルールに値を与える観測（{reason}）"),
    "settle_range": ("narrowing {values}, which straddles the rule",
                     "{values}の絞り込み（ルールの境界をまたいでいる）"),
    "range": ("Range", "範囲"),
    "col.total_low": ("Total, lowest", "総合点の下限"),
    "col.total_high": ("Total, highest", "総合点の上限"),
    "col.rank_best": ("Best rank", "最高順位"),
    "col.rank_worst": ("Worst rank", "最低順位"),
    "col.provisional": ("Provisional", "暫定"),
    "col.could_give": ("Could give", "取りうる点"),
    "col.settled_by": ("Settled by", "確定に必要なもの"),
    "col.shown": ("All values", "全ての値"),
    "trusted": ("sources: {level}", "出典：{level}"),
    "with_forecasts": ("forecasts counted", "予測を含む"),
    "without_forecasts": ("no forecasts", "予測を除く"),
    "reliability.primary": ("primary only", "一次情報のみ"),
    "reliability.secondary": ("primary and secondary", "一次・二次情報"),
    "reliability.low": ("all", "すべて"),
    "computed": ("computed", "算出値"),
    "base": ("base", "基礎点"),
    "pass": ("pass", "該当"),
    "fail": ("fail", "非該当"),
    "applies": ("applies", "該当"),
    "does_not_apply": ("does not apply", "非該当"),
    "grade_is": ("Grade: {grade}", "評価：{grade}"),
    "axes_key": ("Axes: {key}", "評価項目：{key}"),
    "col.profile": ("Profile", "プロファイル"),
    "no_source": ("no source", "出典なし"),
    "below": ("below", "未満"),
    "unknown": ("unknown", "不明"),
    "reason": ("reason", "理由"),
    "rubric": ("rubric", "ルーブリック"),
    "id": ("Id", "ID"),
    "label": ("Label", "名称"),
    "default": ("default", "既定"),
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
    "winner_range": ("Winner stays first", "首位が保たれる範囲"),
    "ranking_range": ("Ranking unchanged", "順位が変わらない範囲"),
    "expected_rank": ("Expected rank", "期待順位"),
    "section.stability": ("Stability: one weight at a time, the others keep their proportions",
                          "安定性：重みを1つずつ動かす（他の重みの比率は保つ）"),
    "section.acceptability": ("Rank acceptability (SMAA-2) over {samples:,} {how}: share of "
                              "samples giving each rank",
                              "順位受容度（SMAA-2）：{how}を{samples:,}通り抽出し、各順位をとる割合"),
    "section.pairwise": ("Pairwise winning probability: P(row ranked above column)",
                         "一対比較の勝率：P(行が列より上位)"),
    "section.central": ("Central weights: mean weights when the project ranks first",
                        "中心重み：首位となる場合の平均の重み"),
    "section.one_off": ("One point off: rank changes if a single axis score moved by one step",
                        "1点の違い：評価項目の点数が1段階ずれた場合の順位の変化"),
    "section.sweep": ("One at a time: weight of one axis set to t, the others rescaled; score "
                      "of each project", "1項目ずつ：1つの評価項目の重みをtとし他を比例調整した"
                      "ときの各プロジェクトのスコア"),
    "sampling": ("Monte Carlo (SMAA-2): {samples:,} samples of {how}, seed {seed}",
                 "モンテカルロ（SMAA-2）：{how}を{samples:,}通り抽出、シード{seed}"),
    "progress": ("Monte Carlo", "モンテカルロ"),
    "clamped": ("(clamped to the scale)", "（尺度内に収めた値）"),
    "no_one_off": ("No single one-step change of an axis score changes any rank.",
                   "どの評価項目の点数を1段階動かしても順位は変わりません。"),
    "never_first": ("never first", "首位なし"),
    "seed": ("seed", "シード"),
    # --- scorer validate (problem messages themselves stay English)
    "validate.rubric": ("{file}: valid rubric '{id}' v{version} ({axes} axes, {criteria} "
                        "criteria)",
                        "{file}：ルーブリック '{id}' v{version} は有効です（評価項目{axes}、"
                        "基準{criteria}）"),
    "validate.one_dossier": ("1 dossier valid: {ids}",
                             "1件のプロジェクトファイルは有効です：{ids}"),
    "validate.dossiers": ("{count:,} dossiers valid: {ids}",
                          "{count:,}件のプロジェクトファイルは有効です：{ids}"),
    "validate.one_warning": ("1 warning", "警告1件"),
    "validate.warnings": ("{count:,} warnings", "警告{count:,}件"),
    "validate.file": ("{file} — {warnings} ({kinds})", "{file} — {warnings}（{kinds}）"),
    "validate.kind_count": ("{label}: {count:,}", "{label}：{count:,}"),
    "validate.list": (", ", "、"),
    "validate.kind": ("Kind", "種類"),
    "validate.count": ("Warnings", "警告数"),
    "validate.files": ("Files", "ファイル数"),
    "kind.file": ("unreadable file", "読めないファイル"),
    "kind.yaml": ("YAML syntax", "YAMLの構文"),
    "kind.yaml-value": ("ambiguous value", "解釈が分かれる値"),
    "kind.unknown-name": ("unknown name", "未定義の名前"),
    "kind.invalid": ("other error", "その他のエラー"),
    "kind.stale": ("stale fact", "古い事実"),
    "kind.undated": ("undated fact", "日付のない事実"),
    "kind.unsourced": ("unsourced fact", "出典のない事実"),
    "kind.no-url": ("source without URL", "URLのない出典"),
    "kind.review-due": ("review overdue", "見直しの期限切れ"),
    "kind.id-mismatch": ("id unlike file name", "IDとファイル名の不一致"),
    "kind.axis-range": ("axis short of the scale", "尺度の両端に届かない評価項目"),
    "kind.never-known": ("criterion never known", "どのプロジェクトでも不明な基準"),
    "warn.review-due": ("dossier last reviewed {reviewed}, {days:,} days before {as_of} (the "
                        "rubric's freshness limit is {limit} days): review it and update its "
                        "as_of",
                        "最終見直しは{reviewed}で、{as_of}の{days:,}日前です（ルーブリックの鮮度の"
                        "上限は{limit}日）。見直して as_of を更新してください"),
    "warn.id-mismatch": ("id '{id}' is not the file's name '{name}': commands such as `scorer "
                         "explain {id}` take the id; rename one",
                         "ID '{id}' がファイル名 '{name}' と異なります。`scorer explain {id}` "
                         "などのコマンドはIDで指定します。どちらかの名前を変えてください"),
    "warn.unsourced": ("{path}: no source; name one of the dossier's sources so the fact can "
                       "be checked",
                       "{path}：出典がありません。事実を確かめられるよう、ファイルの sources の"
                       "いずれかを指定してください"),
    "warn.undated": ("{path}: undated, so its freshness cannot be judged; give it an as_of or "
                     "a dated source",
                     "{path}：日付がなく、鮮度を判断できません。as_of か日付のある出典を指定して"
                     "ください"),
    "warn.stale": ("{path}: latest observation is from {date}, {days:,} days before {as_of} "
                   "(the rubric's freshness limit is {limit} days)",
                   "{path}：最新の観測は{date}で、{as_of}の{days:,}日前です（ルーブリックの鮮度"
                   "の上限は{limit}日）"),
    "warn.no-url": ("source '{source}' has no url; readers cannot check it",
                    "出典 '{source}' にURLがなく、読み手が確かめられません"),
    "warn.axis-range": ("axis '{axis}' can only score {low:g}–{high:g}, not the whole scale "
                        "{min:g}–{max:g}: its base and criteria cannot reach the {ends} score",
                        "評価項目 '{axis}' は{low:g}〜{high:g}点しか取れず、尺度{min:g}〜"
                        "{max:g}の全体に届きません。基礎点と基準では{ends}点に届きません"),
    "warn.lowest": ("lowest", "最低"),
    "warn.highest": ("highest", "最高"),
    "warn.both_ends": ("lowest or the highest", "最低点・最高"),
    "warn.never-known": ("criterion '{id}' is unknown for every project: no dossier states "
                         "{facts}",
                         "基準 '{id}' はどのプロジェクトでも不明です。{facts} を記載したファイルが"
                         "ありません"),
    # --- the workbook (scorer export)

    "sheet.summary": ("Summary", "概要"),
    "sheet.whatif": ("What-if", "試算"),
    "sheet.axes": ("Axes", "評価項目別"),
    "sheet.evidence": ("Evidence", "根拠"),
    "sheet.sensitivity": ("Sensitivity", "感度分析"),
    "sheet.profiles": ("Profiles", "プロファイル"),
    "sheet.history": ("History", "推移"),
    "history.title": ("Scores over time", "スコアの推移"),
    "history.note": ("Each project's total (out of {total:g}) and rank at each date; the same "
                     "analysis run as of each date.",
                     "各時点での各プロジェクトの総合点（{total:g}点満点）と順位。各時点で同じ分析を"
                     "実行した結果。"),
    "history.chart": ("Total over time", "総合点の推移"),
    "sheet.about": ("About", "この資料について"),
    "summary.note": ("Bold italic red scores are analyst overrides (the cell's note gives the "
                     "reason). Colours run from the lowest score of the scale (red) to the "
                     "highest (green). The last columns give what the total and the rank "
                     "could be if every unknown or uncertain criterion turned out either way.",
                     "太字斜体の赤いスコアはアナリストによる手動修正です（理由はセルのメモに"
                     "記載）。色は尺度の最低点（赤）から最高点（緑）まで。右端の列は、不明・"
                     "不確定な基準がどう確定してもありうる総合点と順位の範囲です。"),
    "override.comment": ("Analyst override: {reason} (computed score: {computed})",
                         "アナリストによる手動修正: {reason}（算出値: {computed}）"),
    "whatif.title": ("What-if: change the weights; scores and ranks recompute",
                     "試算: 重みを変えるとスコアと順位が再計算されます"),
    "whatif.note": ("Type any non-negative weights in the yellow cells (row {row}); they are "
                    "normalised to sum to 1. Score = Σ normalised weight × axis score "
                    "({min:g}–{max:g}); Total = score × {n} axes (out of {total:g}); the grade "
                    "is the highest band the total reaches (bands on the right); Rank 1 is "
                    "best, ties share the better rank.",
                    "黄色のセル（{row}行目）に0以上の重みを入力してください。重みは合計1に"
                    "正規化されます。スコア = Σ 正規化した重み × 評価項目スコア"
                    "（{min:g}〜{max:g}）。総合点 = スコア × 評価項目数{n}（{total:g}点満点）。"
                    "評価は総合点が届く最も高い区分です（右の表）。順位は1が最上位で、同点は"
                    "上位の順位を共有します。"),
    "whatif.all_zero": ("Every weight is 0: give at least one axis a weight above 0 to score "
                        "the projects.",
                        "すべての重みが0です。スコアを計算するには、少なくとも1つの評価項目に"
                        "0より大きい重みを入力してください。"),
    "whatif.band_from": ("Grade from (total)", "評価の下限（総合点）"),
    "whatif.weight": ("Weight (input)", "重み（入力）"),
    "whatif.normalised": ("Normalised weight", "正規化した重み"),
    "whatif.edit": ("edit the yellow cells →", "黄色のセルを編集 →"),
    "whatif.prompt": ("A number ≥ 0; weights are relative (normalised to sum to 1).",
                      "0以上の数値。重みは相対値です（合計1に正規化）。"),
    "whatif.error": ("A weight must be a number ≥ 0.", "重みは0以上の数値にしてください。"),
    "axis_id": ("Axis id", "評価項目ID"),
    "axis_score": ("Score", "スコア"),
    "col.computed": ("Computed", "算出値"),
    "col.override": ("Override", "手動修正"),
    "col.reason": ("Override reason", "修正理由"),
    "known": ("Criteria with facts", "事実のある基準数"),
    "criteria": ("Criteria", "基準数"),
    "fact": ("Fact", "事実"),
    "value": ("Value", "値"),
    "unit": ("Unit", "単位"),
    "source": ("Source", "出典"),
    "date": ("Date", "日付"),
    "note": ("Note", "メモ"),
    "status": ("Fact status", "記載状況"),
    "stated": ("stated", "記載あり"),
    "axes.note": ("One row per project and axis; the final score is the override when there "
                  "is one.",
                  "プロジェクト×評価項目ごとに1行。手動修正があれば最終スコアは修正値。"),
    "evidence.note": ("One row per criterion and fact it reads; source titles link to the "
                      "source. A criterion whose fact is not stated is unknown and scores "
                      "nothing.",
                      "基準と参照した事実ごとに1行。出典名は出典へのリンク。事実が未記載の基準は"
                      "「不明」となり、点を与えません。"),
    "sens.title": ("Sensitivity of the ranking to the weights", "重みに対する順位の感度"),
    "sens.winner_low": ("Winner stays from", "首位不変: 下限"),
    "sens.winner_high": ("Winner stays to", "首位不変: 上限"),
    "sens.ranking_low": ("Ranking stays from", "順位不変: 下限"),
    "sens.ranking_high": ("Ranking stays to", "順位不変: 上限"),
    "sens.rank_n": ("Rank {n}", "{n}位"),
    "sens.first": ("P(first)", "首位確率"),
    "sens.if": ("If", "条件"),
    "sens.effect": ("Then", "結果"),
    "sens.pairwise_top": ("(the {n} best-ranked projects)", "（上位{n}プロジェクト）"),
    "sens.sweep_axis": ("Weight of {axis} (t)", "{axis}の重み (t)"),
    "sens.chart_sweep": ("Score as the weight of {axis} varies", "{axis}の重みとスコア"),
    "sens.chart_rank": ("Rank acceptability", "順位受容度"),
    "sens.worse": ("Rank {n} or worse", "{n}位以下"),
    "sens.mark": ("Marked on the chart", "グラフ上の印"),
    "sens.current": ("Current weight", "現在の重み"),
    "sens.crossings": ("Crossings", "交差"),
    "sens.crossing": ("{a} and {b} cross", "{a}と{b}が交差"),
    "sens.one_off_rest": ("{n:,} more one-step changes move only projects ranked below {top}.",
                          "ほかに{n:,}件の1段階の変化は、{top}位より下のプロジェクトの順位だけを"
                          "動かします。"),
    "sens.projects_rest": ("{n:,} more projects, ranked below {top}.",
                           "ほかに{top}位より下の{n:,}プロジェクト。"),
    "sens.full_hint": ("--full lists them all.", "--full ですべて表示します。"),
    "sens.critical_rest": ("{n:,} more criteria, settled one way, move only projects ranked "
                           "below {top}.",
                           "ほかに{n:,}件の基準は、確定しても{top}位より下のプロジェクトの順位だけを"
                           "動かします。"),
    "chart.top": ("The chart shows the {n} best-ranked of the {total} projects; the table "
                  "holds them all.",
                  "グラフは全{total}プロジェクトのうち上位{n}件を表示（表には全件を掲載）。"),
    "print.footer": ("&A — page &P of &N", "&A — &N ページ中 &P ページ"),
    "profiles.title": ("Axis profiles", "評価項目のプロファイル"),
    "about.title": ("About this workbook", "この資料について"),
    "about.item": ("Item", "項目"),
    "about.value": ("Value", "内容"),
    "about.rubric": ("Rubric", "ルーブリック"),
    "about.version": ("Rubric version", "ルーブリックのバージョン"),
    "about.title_row": ("Rubric title", "ルーブリック名"),
    "about.as_of": ("As of", "評価時点"),
    "about.profile": ("Weight profile", "重みプロファイル"),
    "about.min_reliability": ("Sources used", "使用した出典"),
    "about.weight_of": ("Weight: {axis}", "重み: {axis}"),
    "about.grade": ("Grade from {at:g}", "評価（{at:g}点以上）"),
    "about.method": ("Method", "手法"),
    "about.scorer": ("scorer version", "scorer のバージョン"),
    "about.generated": ("Generated at (UTC)", "作成日時（UTC）"),
    "about.mc_samples": ("Monte Carlo samples", "モンテカルロのサンプル数"),
    "about.mc_seed": ("Monte Carlo seed", "モンテカルロのシード"),
    "about.mc_concentration": ("Monte Carlo concentration", "モンテカルロの集中度"),
    "about.none": ("not computed", "未計算"),
    "about.sheets": ("Sheets", "シート"),
    "method.1": ("Each axis scores {min:g}–{max:g}: the axis's base plus the points of its "
                 "criteria, clamped to the scale; an analyst's override replaces the computed "
                 "score and is always marked.",
                 "各評価項目は{min:g}〜{max:g}点: 基礎点に各基準の点を加え尺度内に収めたもの。"
                 "アナリストの手動修正は算出値を置き換え、常に明示されます。"),
    "method.2": ("Weighted score = Σ w·s over the axes, the weights normalised to sum to 1 "
                 "(so it stays on the scale); total = weighted score × {n} axes, out of "
                 "{total:g}.",
                 "加重スコア = Σ 重み×スコア（重みは合計1に正規化、尺度内に収まる）。"
                 "総合点 = 加重スコア × 評価項目数{n}（{total:g}点満点）。"),
    "method.3": ("Ties share the better rank (1, 2, 2, 4).",
                 "同点は上位の順位を共有します（1, 2, 2, 4）。"),
    "method.4": ("A fact the dossier does not state is unknown, not false: its criteria score "
                 "nothing and lower the coverage.",
                 "未記載の事実は偽ではなく不明として扱い、その基準は点を与えず充足率を下げます。"),
    "method.5": ("Each fact takes its latest observation dated on or before the as-of date, "
                 "{as_of}.", "各事実は評価時点（{as_of}）以前で最新の観測値を用います。"),
    "method.6": ("Sensitivity: one axis weight at a time over [0, 1] with the others rescaled "
                 "proportionally; Monte Carlo (SMAA-2) over sampled weight vectors and, unless "
                 "turned off, the unknown and uncertain evidence drawn with them.",
                 "感度分析: 1つの評価項目の重みを[0, 1]で動かし他を比例調整。モンテカルロ"
                 "（SMAA-2）は重みベクトル（既定では不明・不確定な根拠も）を抽出して集計。"),
    "method.7": ("An unknown or uncertain criterion could give other points: the ranges (lowest "
                 "and highest total, best and worst rank) cover every way they could turn out; a "
                 "grade from fewer than {coverage:.0%} of criteria known is provisional.",
                 "不明・不確定な基準は別の点を与えうる：範囲（総合点の下限・上限、最高・最低順位）は"
                 "そのすべての場合を含む。判明した基準が{coverage:.0%}未満の評価は暫定。"),
}


def t(word: str, lang: str = "en", **values: object) -> str:
    """The interface text in `lang`, with `values` filled into its {placeholders}."""
    en, ja = _WORDS[word]
    text = ja if lang == "ja" else en
    return text.format(**values) if values else text
