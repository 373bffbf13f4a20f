# Used by `sam build` (BuildMethod: makefile). SAM copies the CodeUri (the repository root)
# to a scratch folder and runs `make build-<LogicalId>` there with ARTIFACTS_DIR set. Every
# function ships the same artifact: the shaded functions jar in lib/, where the Java runtime
# looks for it. Only the modules the functions need are built, never the emulators.
FUNCTIONS := SubmitFunction FalProxyFunction ReadFunction CallbackFunction PollerFunction FinishFunction DeadLetterFunction
LAMBDA_JAR = functions/target/falgate-functions-0.1.0-SNAPSHOT-lambda.jar

.PHONY: $(addprefix build-,$(FUNCTIONS)) lambda-jar

$(addprefix build-,$(FUNCTIONS)): lambda-jar
	mkdir -p "$(ARTIFACTS_DIR)/lib"
	cp $(LAMBDA_JAR) "$(ARTIFACTS_DIR)/lib/"

lambda-jar:
	mvn -q -B -ntp -pl functions -am package -DskipTests
