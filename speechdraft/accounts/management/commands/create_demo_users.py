from django.core.management.base import BaseCommand

from speechdraft.accounts.services import demo_accounts_ensure


class Command(BaseCommand):
    help = "创建（或重置）演示用的起草人和素材管理员账号；可重复运行。"

    def handle(self, *args, **options) -> None:
        accounts = demo_accounts_ensure()
        self.stdout.write("演示账号（登录地址 http://127.0.0.1:8000/accounts/login/）：")
        for account in accounts:
            self.stdout.write(
                f"  {account.role}：用户名 {account.username}  密码 {account.password}"
            )
