"""A locust user class for the robot shop, and what locust computes from requests, without
network: locust's stats over fixed samples, and gevent greenlets doing the work."""
import gevent
import greenlet
import locust
from locust import HttpUser, between, task
from locust.stats import RequestStats


class ShopUser(HttpUser):
    wait_time = between(1, 2)
    host = "http://web:8080"

    @task(3)
    def catalogue(self):
        self.client.get("/api/catalogue/products")

    @task
    def cart(self):
        self.client.get("/api/cart/cart/anonymous")


stats = RequestStats()
for name, ms in [("/api/catalogue/products", 120), ("/api/catalogue/products", 80), ("/api/cart/cart/anonymous", 40)]:
    stats.log_request("GET", name, ms, 512)
jobs = [gevent.spawn(lambda n: sum(i * i for i in range(n)), n) for n in (10, 100, 1000)]
gevent.joinall(jobs)
print("locust", locust.__version__, "gevent", gevent.__version__, "greenlet", greenlet.__version__)
print("tasks", sorted(t.__name__ for t in ShopUser.tasks))
print("requests", stats.total.num_requests, "avg ms", stats.total.avg_response_time, "median", stats.total.median_response_time)
print("greenlets", [j.value for j in jobs])
