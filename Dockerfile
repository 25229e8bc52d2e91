# syntax=docker/dockerfile:1
# One image per Courier service, built from this repository (BuildKit, the default of current Docker):
#   docker build --build-arg MODULE=relay-service --build-arg ARTIFACT=relay-service -t courier/relay-service .
# docker-compose.yml builds each service this way.
FROM eclipse-temurin:21-jdk AS build
ARG MODULE
ARG ARTIFACT
# Node.js and npm build the consoles' pages (web-console: npm ci, tsc, esbuild from the npm registry).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Maven's repository is a cache mount: dependencies are downloaded once, not on every build of every service.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl "${MODULE}" -am package \
 && mkdir /out \
 && cp "$(ls "${MODULE}"/target/"${ARTIFACT}"-*.jar | grep -v original | head -n 1)" /out/application.jar
# Spring Boot's layers: dependencies change less often than Courier's own code, so they get image layers of their own.
# A jar without Spring (the demo receiver, a few kilobytes) cannot run the layer tools and goes whole into the
# application layer.
RUN cd /out \
 && if jar tf application.jar | grep -q '^BOOT-INF/lib/spring-core-'; then \
      java -Djarmode=tools -jar application.jar extract --layers --destination extracted; \
    else \
      mkdir -p extracted/dependencies extracted/spring-boot-loader extracted/snapshot-dependencies extracted/application \
      && cp application.jar extracted/application/; \
    fi

FROM eclipse-temurin:21-jre
RUN groupadd --system courier && useradd --system --gid courier --no-create-home --shell /usr/sbin/nologin courier
WORKDIR /application
COPY --from=build /out/extracted/dependencies/ ./
COPY --from=build /out/extracted/spring-boot-loader/ ./
COPY --from=build /out/extracted/snapshot-dependencies/ ./
COPY --from=build /out/extracted/application/ ./
USER courier:courier
# A fixed heap, half the container's memory: a heap that may shrink is cut at each G1 cycle to about three times the
# live data and then cycles every few seconds, each with a remark pause of 8-20 ms (bench/README.md, session 22).
# JAVA_TOOL_OPTIONS adds or overrides options without a new image.
ENTRYPOINT ["java", "-XX:InitialRAMPercentage=50", "-XX:MaxRAMPercentage=50", "-jar", "application.jar"]
