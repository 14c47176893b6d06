FROM cgr.dev/chainguard/jdk:latest-dev AS build
USER root
WORKDIR /app
COPY . .
RUN ./mvnw -B package -DskipTests

FROM cgr.dev/chainguard/jre:latest
WORKDIR /app
COPY --from=build /app/target/app.jar /app/target/app.jar
EXPOSE 8080
CMD ["-jar", "target/app.jar"]
