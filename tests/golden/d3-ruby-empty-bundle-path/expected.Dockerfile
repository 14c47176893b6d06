FROM ruby:3.3 AS build
ENV BUNDLE_PATH=""
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y build-essential && bundle install

FROM ruby:3.3-slim
WORKDIR /app
ENV BUNDLE_PATH=""
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
CMD ["ruby", "app.rb"]
