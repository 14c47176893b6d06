#!/bin/sh
# Written for restage's real-dependency suite (the original, not in the contexts, starts
# locust against $HOST): runs the program next to it.
exec python robot-shop.py "$@"
