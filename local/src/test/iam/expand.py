"""Expands falgate's SAM template the way CloudFormation's AWS::Serverless-2016-10-31 transform does.

Reads the template as JSON (intrinsics in their long form) on stdin, writes the expanded
CloudFormation template as JSON on stdout. Run by LeastPrivilegeTest from the venv that holds the
pinned aws-sam-translator (requirements.txt). No AWS call: managed policy names are not looked up
(the template uses policy templates and inline statements only).
"""
import json
import os
import sys

# the translator asks boto for the region (ARNs of managed policies); no credentials, no call
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"

from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def packaged(template):
    """Code locations as `sam package` leaves them (an S3 URI): the transform refuses a local path."""
    code = "s3://falgate-artifacts/code.zip"
    template.get("Globals", {}).get("Function", {}).update({"CodeUri": code})
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function" and "CodeUri" in resource.get("Properties", {}):
            resource["Properties"]["CodeUri"] = code
    return template


def main():
    template = packaged(json.load(sys.stdin))
    parameters = {"AWS::Region": "us-east-1", "AWS::AccountId": "000000000000", "AWS::Partition": "aws"}
    expanded = transform(template, parameters, NoManagedPolicies())
    json.dump(expanded, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
