FROM ruby:3.2 AS build
RUN apt-get --assume-yes update && apt-get --assume-yes install freetds-dev freetds-bin
WORKDIR /app
COPY . .
RUN bundle install

FROM ruby:3.2-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends freetds-bin && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bundle /usr/local/bundle
COPY --from=build /app /app
CMD ["ruby", "app.rb"]
