#!/usr/bin/env bash
# Builds the bench module (Maven profile `bench`) and runs the point-select benchmark end to end:
# creates sg_bench_s0/sg_bench_s1 on the local PostgreSQL, runs baseline / shardgate / ShardingSphere-JDBC under
# JMH, prints JMH's table and the ratios, drops the databases. Arguments (key=value) go to io.shardgate.bench.BenchMain,
# e.g.  bench/run.sh warmups=1 warmup=2s iterations=1 time=3s rounds=1     (a quick check)
#       bench/run.sh prof=stack include=shardgate                          (where the time goes)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -pl bench -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
exec java -Xms512m -Xmx512m -cp "$CP" io.shardgate.bench.BenchMain "$@"
