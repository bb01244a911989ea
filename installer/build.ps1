<#
.SYNOPSIS
  Build the Windows installer of the counter program.

.DESCRIPTION
  1. a venv of its own in build\venv (only the project, its run-time dependencies and
     PyInstaller: nothing from a developer's venv ends up in the program);
  2. PyInstaller with installer\counter.spec -> build\dist\counter\ (counter.exe for the
     command line, counter-gui.exe for the shortcuts);
  3. installer\render_templates.py -> build\counter.iss (name and version from pyproject.toml);
  4. Inno Setup's compiler -> build\dist\hall-counter-<version>-windows-x64-setup.exe.

  Needs 64-bit Python 3.11+ (python.org or the py launcher) and Inno Setup 6
  (https://jrsoftware.org/isinfo.php; iscc.exe on PATH or in its default folder). For a
  Chinese installer, ChineseSimplified.isl must be in Inno Setup's Languages folder (without
  it the installer speaks English; the program itself is Chinese either way).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build.ps1
  powershell -ExecutionPolicy Bypass -File installer\build.ps1 -Clean -Python "py -3.11"
#>
param(
    [switch]$Clean,
    [string]$Python = "py -3",
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
$Build = Join-Path $Root "build"
$Venv = Join-Path $Build "venv"
$Started = Get-Date

function Step($Text) {
    $elapsed = [int]((Get-Date) - $Started).TotalSeconds
    Write-Host "`n== $Text (${elapsed}s)"
}

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe failed with exit code $LASTEXITCODE" }
}

if ($Clean) {
    foreach ($dir in @($Venv, (Join-Path $Build "pyinstaller"), (Join-Path $Build "dist"))) {
        if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
    }
}
New-Item -ItemType Directory -Force -Path $Build | Out-Null

Step "venv ($Venv)"
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Py)) {
    $launcher = $Python.Split(" ")
    $launcherArgs = @($launcher | Select-Object -Skip 1) + @("-m", "venv", $Venv)
    Invoke-Checked $launcher[0] $launcherArgs
}
Invoke-Checked $Py @("-m", "pip", "install", "--disable-pip-version-check", "--quiet",
                     "-e", $Root, "pyinstaller>=6.5")

Step "PyInstaller"
Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                     "--distpath", (Join-Path $Build "dist"),
                     "--workpath", (Join-Path $Build "pyinstaller"),
                     (Join-Path $Root "installer\counter.spec"))
$Bundle = Join-Path $Build "dist\counter"
Invoke-Checked (Join-Path $Bundle "counter.exe") @("--version")

Step "Inno Setup script"
Invoke-Checked $Py @((Join-Path $Root "installer\render_templates.py"), "--out", $Build)

Step "Inno Setup"
if (-not $Iscc) {
    $found = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($found) {
        $Iscc = $found.Source
    } else {
        $candidates = @(
            "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
            "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
            "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
        )
        $Iscc = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
    }
}
if (-not $Iscc) { throw "ISCC.exe (Inno Setup 6) not found: install it or pass -Iscc PATH" }
Invoke-Checked $Iscc @("/Qp", (Join-Path $Build "counter.iss"))

Step "done"
$size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum / 1MB
$setup = Get-ChildItem (Join-Path $Build "dist\*-setup.exe") | Sort-Object LastWriteTime |
    Select-Object -Last 1
Write-Host ("bundle:    {0}  {1:N0} MB" -f $Bundle, $size)
Write-Host ("installer: {0}  {1:N0} MB" -f $setup.FullName, ($setup.Length / 1MB))
Write-Host ("build time: {0:N0}s" -f ((Get-Date) - $Started).TotalSeconds)
