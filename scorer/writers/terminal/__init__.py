"""Rich views for the terminal, one module per view; `layout` holds what they share.

Colour only adds emphasis: every mark is also in the text. Each function lays out a view of
`scorer.views` by column name; untrusted text (names, notes, rules) always enters as `Text`
(`scorer.writers.console.Text`, which shows hidden characters escaped), never as markup;
the console it is printed on adds the same guard.

Every view is laid out for the width it is printed at (80 columns and up, in English and in
Japanese, where a character takes two cells): text wraps between words, never inside one,
and a table too wide for a row per line moves what does not fit (a grade above its
projects, a block of columns under the others, axis labels into a key) rather than drop a
column or cut a cell short. `problems` and `rubric` import neither pandas nor numpy, so
`scorer validate` and `scorer rubric` start light.
"""
