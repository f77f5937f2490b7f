# Vigil's entry points. `make demo` runs Vigil locally; `make test` runs every test (what CI runs).
MVN := ./mvnw -B
# bash, for pipefail in `make faults`.
SHELL := /bin/bash

.PHONY: demo build test images dist faults parts format crds coverage bench bench-ratio bench-stream bench-ingester bench-storage bench-geoip bench-alerting bench-org clean

## Run Vigil's main job on local real parts (builds first).
demo: build
	bin/vigil demo

## Build every module, the vigil jar and the container images, without tests.
build:
	$(MVN) -q install -DskipTests -Dimages

## Install the real parts the tests need (cached), then run every unit test and integration test, with the
## container images built (the *ImageIT tests check them; the base image is cached like the parts).
test: parts
	$(MVN) verify -Dimages

## Build the container images without Docker: operator/target/vigil-operator-image.tar and
## ingester/target/vigil-ingester-image.tar (docker-archive, tagged ghcr.io/vigil-siem/vigil-<app>:<pom version>).
images:
	$(MVN) -q -pl operator,ingester -am package -DskipTests -Dimages

## The CLI as a release artifact that needs no source build: dist/vigil-<version>.tar.gz (launcher, runnable jar,
## CRDs for `vigil validate`, bash completion; Java 17+ to run).
dist:
	$(MVN) -q -pl cli -am package -DskipTests
	bash deploy/dist/build-dist.sh

## The fault suite on the real parts, on demand (about 15 minutes; all of it also runs in `make test`): damaged
## objects, SIGKILL/SIGTERM takeovers, OpenSearch frozen/down/back, a dead-letter destination gone, a data node killed
## in a three-node cluster, lost updates of bucket notifications, lease loss, a hung AWS endpoint, an API server
## unreachable at start, OpenSearch down under the engine, an OpenSearchConnection following a cluster yellow and green.
## Prints each ingest scenario's expected/found/missing/extra ids with its time to drain, and the test verdicts (full
## log: target/faults.log).
FAULT_ITS := DeliveryFaultsIT,IngesterProcessIT,ClusterFaultsIT,LogSourceFaultsIT,BucketNotificationWritersIT,LeaseLossIT,HungAwsEndpointIT,UnreachableAtStartIT,DetectionOutageIT,ConnectionClusterHealthIT
faults: parts
	mkdir -p target
	set -o pipefail; $(MVN) verify -pl ingester,operator -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test='$(FAULT_ITS)' 2>&1 | tee target/faults.log \
	  | grep -E '^(ids |cluster fault|HungAwsEndpointIT|\[(INFO|ERROR)\] Tests run:)'

## Prepare the AWS emulator, Kubernetes, Helm, promtool, Argo CD's Lua runner and the node's packages in the cache (idempotent; shows progress the first
## time). The node needs root: as another user its tests fail saying so, and the demo runs without it.
parts:
	bash parts/scripts/ensure-moto.sh >/dev/null
	bash parts/scripts/ensure-kube-binaries.sh >/dev/null
	for tool in lua-health helm promtool; do bash parts/scripts/ensure-go-tool.sh $$tool >/dev/null || exit 1; done
	if [ "$$(id -u)" = 0 ]; then bash parts/scripts/ensure-node-parts.sh >/dev/null; fi
	# Test parts' temporary copies left by runs that were killed before they could clean up (hours old: no test run
	# still uses them); an OpenSearch copy is about 300 MB.
	find $${TMPDIR:-/tmp} -maxdepth 1 \( -name 'vigil-opensearch-*' -o -name 'vigil-kube-*' -o -name 'vigil-bench-*' \) -mmin +240 -exec rm -rf {} + 2>/dev/null || true

## Run the JMH benchmarks of the log core and print throughput and the pipeline/ceiling ratio (several minutes).
bench:
	$(MVN) -q -pl bench -am package -DskipTests
	java -jar bench/target/benchmarks.jar

## The CloudTrail pipeline/ceiling ratio with the two alternated op for op, by CPU and wall time: the figure to
## trust on a machine shared with other work (about a minute).
bench-ratio:
	$(MVN) -q -pl bench -am package -DskipTests
	java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.vigil.bench.InterleavedRatio

## Streaming detection: parse+detect vs parse alone per log type (target <= 2x), before/after, 10 to 10,000 rules.
bench-stream:
	$(MVN) -q -pl bench -am package -DskipTests
	java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.vigil.bench.StreamRatio $(BENCH_ARGS)

## Measure the ingester end to end (S3 objects in moto to searchable documents) against the same node's raw
## _bulk ceiling; prints docs/s, the ratio and the ingester's RSS (a few minutes; sizes: BENCH_ARGS=-Dbench.objects=16;
## BENCH_ARGS=-Dbench.stream=true adds an ingester streaming every shipped rule and prints its rate against streaming off;
## -Dbench.streamJvm="-XX:StartFlightRecording=filename=/tmp/stream.jfr,settings=profile" profiles that one).
## Built in the reactor (package, and the classpath from the modules' target/), never installed into ~/.m2.
bench-ingester:
	$(MVN) -q -pl ingester -am package -DskipTests
	$(MVN) -q -pl ingester -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java -Dvigil.parts.logs=ingester/target/vigil-parts $(BENCH_ARGS) -cp ingester/target/test-classes:ingester/target/classes:$$(cat ingester/target/bench.classpath) dev.vigil.ingester.bench.IngesterBenchmark

## What OpenSearch pays per event, old index layout (before #16) against today's, on one node in one run:
## indexing CPU, bytes on disk after force-merge, mapped fields and query latency per 1,000 CloudTrail, VPC Flow and
## WAF events (several minutes; sizes: BENCH_ARGS="-Dbench.events=20000 -Dbench.rounds=1").
bench-storage:
	$(MVN) -q -pl bench -am package -DskipTests
	java $(BENCH_ARGS) -cp bench/target/benchmarks.jar dev.vigil.bench.StorageBenchmark

## What GeoIP enrichment costs: ns per address with and without the cache, WAF documents/s without and with a
## database (a test MaxMind DB of 20,000 networks; under a minute).
bench-geoip:
	$(MVN) -q -pl ingester -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java -cp ingester/target/test-classes:ingester/target/classes:$$(cat ingester/target/bench.classpath) dev.vigil.ingester.bench.GeoLookupBenchmark

## Render and sync 1,000 DetectionRules' Alerting monitors against the contract server; prints timings and proves the
## steady state writes nothing (BENCH_ARGS=-Dbench.rules=N to change the count).
bench-alerting:
	$(MVN) -q -pl operator -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java $(BENCH_ARGS) -cp operator/target/test-classes:operator/target/classes:$$(cat operator/target/bench.classpath) dev.vigil.operator.alerting.AlertingSyncBenchmark

## An AWS Organization of 1,000 member accounts (0-50 log groups each) on the emulator: MemberAccounts' first rollout,
## steady state, steady state with 10% of calls throttled, accounts joining; prints time, AWS calls by operation,
## retries, heap and status size per pass (several minutes; BENCH_ARGS="-Dbench.accounts=100 -Dbench.concurrency=8
## -Dbench.throttle=0.1"). Runs from the operator's test classes: nothing of it ships in the operator image.
bench-org:
	$(MVN) -q -pl operator -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java -Dvigil.parts.logs=operator/target/vigil-parts $(BENCH_ARGS) -cp operator/target/test-classes:operator/target/classes:$$(cat operator/target/bench.classpath) dev.vigil.operator.logsource.OrganizationBenchmark

## Regenerate crds/ from the Java classes in api/ (the build fails while they differ).
crds:
	$(MVN) -q -pl api test -Dtest=CrdsAreCommittedTest -Dvigil.updateCrds=true -Dsurefire.failIfNoSpecifiedTests=false

## Regenerate docs/detections/coverage.md (the ATT&CK coverage map) from the shipped rules' spec.mitre.
coverage:
	$(MVN) -q -pl cli -am test -Dtest=CoverageMapTest -Dvigil.updateCoverage=true -Dsurefire.failIfNoSpecifiedTests=false

## Rewrite sources to the enforced format.
format:
	$(MVN) -q spotless:apply

clean:
	$(MVN) -q clean
