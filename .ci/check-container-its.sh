#!/usr/bin/env bash
# Run by .ci/run after `./mvnw -B verify`. The Docker image tests (*ContainerIT) are
# @Testcontainers(disabledWithoutDocker = true), so without a working engine they would be skipped
# and the build would still pass. In CI that must fail: every *ContainerIT class of src/test/java
# (ImgstoreContainerIT, ClusterContainerIT, ...) must have a report and have run at least one test,
# and a test may be skipped only by an explicit @Disabled("until ...").
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - target/failsafe-reports src/test/java <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

reports = sorted(glob.glob(os.path.join(sys.argv[1], "TEST-*ContainerIT.xml")))
if not reports:
    sys.exit("check-container-its: no *ContainerIT report in %s: the Docker image tests did not run" % sys.argv[1])
bad = []
# Every container test class in the sources must have run (a report per class).
sources = glob.glob(os.path.join(sys.argv[2], "**", "*ContainerIT.java"), recursive=True)
classes = {os.path.relpath(p, sys.argv[2])[:-len(".java")].replace(os.sep, ".") for p in sources}
reported = {os.path.basename(r)[len("TEST-"):-len(".xml")] for r in reports}
for missing in sorted(classes - reported):
    bad.append("%s has no report in %s (did not run)" % (missing, sys.argv[1]))
for report in reports:
    suite = ET.parse(report).getroot()
    name = suite.get("name", report).rsplit(".", 1)[-1]
    ran, disabled = 0, []
    for case in suite.iter("testcase"):
        skip = case.find("skipped")
        if skip is None:
            ran += 1
        elif (skip.get("message") or "").startswith("until "):
            disabled.append(case.get("name"))
        else:
            bad.append("%s.%s skipped: %s" % (name, case.get("name"), skip.get("message")))
    print("check-container-its: %s ran %d test(s), %d disabled on purpose%s"
          % (name, ran, len(disabled), (" (" + ", ".join(disabled) + ")") if disabled else ""))
    if ran == 0:
        bad.append("%s ran no test" % name)
if bad:
    sys.exit("check-container-its: FAILED, the Docker image tests must run in CI:\n  " + "\n  ".join(bad))
PY
