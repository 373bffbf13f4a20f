"""Prints template.yaml as CloudFormation receives it: the SAM transform applied by
aws-sam-translator (what `sam deploy` sends), as JSON. CfnLintTest lints this output too and
checks the alarms in it. Usage: expand.py TEMPLATE OUT"""
import json
import os
import sys

from cfnlint.decode import decode_str
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    """The template names no managed policy by name, so no IAM look-up is needed."""

    def load(self):
        return {}


def main(source, target):
    # the pseudo parameters need a region; no AWS call is made
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    with open(source, encoding="utf-8") as f:
        template, matches = decode_str(f.read())
    if matches:
        sys.exit("cannot read %s: %s" % (source, matches))
    template = json.loads(json.dumps(template, default=str))
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function":
            # sam build puts the artifact here; the transform only needs a location
            resource["Properties"]["CodeUri"] = "s3://falgate-artifacts/functions.jar"
    try:
        expanded = transform(template, {"AWS::Region": "us-east-1"}, NoManagedPolicies())
    except InvalidDocumentException as e:
        sys.exit("the SAM transform refused %s: %s" % (source, "; ".join(str(c) for c in e.causes)))
    with open(target, "w", encoding="utf-8") as f:
        json.dump(expanded, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
