; Inno Setup script for Glabella (per-user install, no administrator rights needed).
; Build the bundle first (python packaging\build.py), then: iscc packaging\windows\glabella.iss
; Patient data never lives in the install folder: Glabella keeps it in
; %LOCALAPPDATA%\Glabella, and uninstalling leaves that folder alone.

#define AppName "Glabella"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
; The AppId must never change: it is how Windows recognises upgrades of the same app.
AppId={{6F0C3B1E-5B7A-4C1D-9E2F-6A1B7C0D4E21}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Glabella
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\build
OutputBaseFilename=glabella-{#AppVersion}-windows-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\glabella.exe
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\build\dist\glabella\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\glabella.exe"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\glabella.exe"; Tasks: desktopicon

[Tasks]
Name: desktopicon; Description: "Create a desktop icon"; Flags: unchecked

[Run]
Filename: "{app}\glabella.exe"; Description: "Start Glabella"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry for {localappdata}\Glabella: patient records must survive an
; uninstall. Removing them is a deliberate act by the clinic (see packaging/README.md).
