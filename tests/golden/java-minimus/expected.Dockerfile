FROM reg.mini.dev/openjdk:21-dev AS build
USER root
WORKDIR /app
COPY . .
RUN ./mvnw -B package

FROM reg.mini.dev/openjre:21
WORKDIR /app
COPY --from=build /app/target/service.jar /app/target/service.jar
EXPOSE 8080
CMD ["java", "-jar", "/app/target/service.jar"]
