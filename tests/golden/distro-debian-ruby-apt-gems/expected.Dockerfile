FROM debian:bookworm AS build

ENV RACK_ENV production

RUN apt-get update && \
    apt-get install -y build-essential ruby ruby-dev && \
    apt-get clean && \
    rm /var/lib/apt/lists/*_*

COPY Gemfile Gemfile.lock /app/
WORKDIR /app
RUN gem install bundler && \
    bundle install

COPY * /app/

FROM debian:bookworm
WORKDIR /app
ENV RACK_ENV production
RUN apt-get update && apt-get install -y --no-install-recommends ruby && rm -rf /var/lib/apt/lists/*
COPY --from=build /var/lib/gems /var/lib/gems
COPY --from=build /usr/local/bin /usr/local/bin
COPY --from=build /app /app

ENTRYPOINT ["bundle", "exec", "ruby", "app.rb", "-p", "8080"]
