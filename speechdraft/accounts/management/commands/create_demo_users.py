from speechdraft.accounts.services import demo_accounts_ensure
from speechdraft.core.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "创建（或重置）两个演示单位的起草人和素材管理员账号；可重复运行。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000/",
            help="网站地址，用于显示登录地址（make run 传入它实际使用的地址和端口）",
        )

    def handle(self, *args, site: str, **options) -> None:
        accounts = demo_accounts_ensure()
        login = site.rstrip("/") + "/accounts/login/"
        self.stdout.write(f"演示账号（登录地址 {login}）：")
        for account in accounts:
            self.stdout.write(
                f"  {account.unit} {account.role}：用户名 {account.username}  密码 {account.password}"
            )
