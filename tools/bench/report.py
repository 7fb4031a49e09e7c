"""The one way a benchmark prints its result.

With --json: one JSON object on one line, keys sorted, so runs can be diffed and parsed.
Without: the bench's own table when it has one, else one aligned `key value` line per figure.
"""

import json


def print_result(result, as_json, table=None):
    if as_json:
        print(json.dumps(result, sort_keys=True))
    elif table is not None:
        table(result)
    else:
        for key in sorted(result):
            print("%-44s %s" % (key, result[key]))
