using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthAssist.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReidentificationMap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reidentification_map",
                columns: table => new
                {
                    pseudonym = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    sealed_identity = table.Column<byte[]>(type: "BLOB", maxLength: 2048, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reidentification_map", x => x.pseudonym);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reidentification_map");
        }
    }
}
