from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's data generator (``manage.py generate_bench_data``); installed by bench/settings.py only."""

    name = "bench"
    verbose_name = "Benchmark"
