FROM reg.mini.dev/openjdk:17-dev AS build
USER root
WORKDIR /
ADD . .
RUN ./gradlew --no-daemon bootJar

FROM reg.mini.dev/openjre:17
WORKDIR /
COPY --from=build /build/libs/example-0.0.1-SNAPSHOT.jar /build/libs/example-0.0.1-SNAPSHOT.jar
ENTRYPOINT ["java", "-jar", "build/libs/example-0.0.1-SNAPSHOT.jar"]
