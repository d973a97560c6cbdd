using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthAssist.Storage.Migrations.SqlServer
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
                    pseudonym = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    sealed_identity = table.Column<byte[]>(type: "varbinary(2048)", maxLength: 2048, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
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
