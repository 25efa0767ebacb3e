"""Achievement data sits beside the scheme it belongs to.

Achievement data is kept in the repository beside its scheme, by the
convention ``NAME.yaml`` -> ``NAME.achievement.yaml``. An achievement file with no
scheme of that name beside it cannot be checked or reconciled: its indicators,
checkpoints and commissioners are the scheme's. Reported at the top of the file.
"""

from cquin_cli.check.registry import ACHIEVEMENT

CODE = "E301"
TITLE = "Achievement data without its scheme"
SOURCE = "docs/format.md (achievement data)"
SCOPE = ACHIEVEMENT

PASSING = """
# The worked example as it is: northfield-acute-2009-10.achievement.yaml
# beside its scheme, northfield-acute-2009-10.yaml.
"""
FAILING = """
# file: northfield-2009-10.achievement.yaml
# A copy of the worked example's achievement data, with no northfield-2009-10.yaml beside it.
"""
