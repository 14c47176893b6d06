FROM registry.access.redhat.com/ubi9/openjdk-11:latest AS build
USER root
WORKDIR /app
COPY . .
RUN ./mvnw -B package -DskipTests

FROM registry.access.redhat.com/ubi9/openjdk-11-runtime:latest
WORKDIR /app
COPY --from=build /app/target/app.jar /app/target/app.jar
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]
