# One image per Courier service, built from this repository:
#   docker build --build-arg MODULE=relay-service --build-arg ARTIFACT=relay-service -t courier/relay-service .
# docker-compose.yml builds each service this way.
FROM eclipse-temurin:21-jdk AS build
ARG MODULE
ARG ARTIFACT
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl "${MODULE}" -am package \
 && mkdir /out \
 && cp "$(ls "${MODULE}"/target/"${ARTIFACT}"-*.jar | grep -v original | head -n 1)" /out/app.jar

FROM eclipse-temurin:21-jre
COPY --from=build /out/app.jar /app/app.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/app.jar"]
