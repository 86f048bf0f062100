"""Parses a file in the Prometheus text format with prometheus_client's own parser (Debian's
python3-prometheus-client) and prints as JSON the type of each family (by the name the
parser gives it: a counter's without `_total`) and every sample with its labels and value. A line the parser cannot read ends it with an error.

    /usr/bin/python3 Tests/support/parse_metrics.py FILE
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = {}
samples = []
for family in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8").read()):
    families[family.name] = family.type
    samples += [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples]
print(json.dumps({"families": families, "samples": samples}))
