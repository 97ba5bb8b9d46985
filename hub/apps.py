from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save


class HubConfig(AppConfig):
    """Project package: shared building blocks for every content app."""

    name = "hub"
    verbose_name = "Securing Smart Cities hub"

    def ready(self):
        from django.contrib.auth import get_user_model

        from hub import (  # noqa: F401
            accounts,
            cache,
            csp,
            frontend_cache,
            install,
            invalidation,
            jobs,
            permissions,
            request_log,
            signals,
            site_address,
            tasks,
        )
        from hub.groups import sync_translators_group
        from hub.locales import ensure_locales, make_locale_sync_raw_safe
        from hub.models import FooterText, Topic, TopicLabel

        cache.check_shared_cache()
        post_migrate.connect(install.create_cache_table, sender=self)  # first: the next steps invalidate
        post_migrate.connect(ensure_locales, sender=self)
        make_locale_sync_raw_safe()
        post_migrate.connect(site_address.apply_site_address, sender=self)
        post_migrate.connect(install.send_permissions_ready, dispatch_uid="hub-permissions-ready")
        install.permissions_ready.connect(sync_translators_group, dispatch_uid="hub-translators-group")
        permissions.register_translatable_snippet(FooterText)
        permissions.register_translatable_snippet(TopicLabel)
        invalidation.register_visible_model(Topic)
        cache.register_recovery_hook(invalidation.clear_local_caches)
        invalidation.register_purger(frontend_cache.purge_everything)
        signals.connect()
        request_log.connect()
        jobs.register()
        csp.install_chooser_nonce()  # the admin's CSP allows only nonce'd inline scripts (hub.csp)
        # Admin users are shown by name, never by email address (hub.accounts).
        pre_save.connect(accounts.give_display_name, sender=get_user_model(), dispatch_uid="hub-user-display-name")
        post_migrate.connect(accounts.name_existing_accounts, sender=self, dispatch_uid="hub-user-names")
