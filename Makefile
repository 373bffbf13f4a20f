# Used by `sam build` (BuildMethod: makefile). samconfig.toml sets build_in_source: SAM runs
# `make build-<LogicalId>` here in the repository (copying nothing to a scratch folder) with
# ARTIFACTS_DIR set, once per function. Every function ships the same artifact: the shaded
# functions jar in lib/, where the Java runtime looks for it. The jar is a real make target
# whose prerequisites are the sources it is built from, so the first function's build runs
# Maven and the others find it up to date: one Maven run per `sam build`, whatever the number
# of functions. Each Maven run appends a line to $(MAVEN_RUNS) (the SAM tests count them).
# Only the modules the functions need are built, never the emulators.
LAMBDA_JAR = functions/target/falgate-functions-0.1.0-SNAPSHOT-lambda.jar
MAVEN_RUNS = target/sam-maven-runs.log
JAR_SOURCES := pom.xml catalog/pom.xml functions/pom.xml \
  $(shell find catalog/src/main functions/src/main web -path web/vendor-src -prune -o -type f -print)

# any function of template.yaml: build-SubmitFunction, build-ReadFunction, ...
build-%: $(LAMBDA_JAR)
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(LAMBDA_JAR) "$(ARTIFACTS_DIR)/lib/"

$(LAMBDA_JAR): $(JAR_SOURCES)
	mkdir -p $(dir $(MAVEN_RUNS))
	echo "maven run $$(date -u +%FT%TZ)" >> $(MAVEN_RUNS)
	mvn -q -B -ntp -pl functions -am package -DskipTests
	touch $(LAMBDA_JAR)
