import { app, Menu, nativeImage, net, Notification, powerMonitor, Tray } from 'electron';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SchedulerChange, Settings } from '../core/contract';
import { planNotification } from '../services/notifications/notification-plan';
import type { Backend } from '../services/services';
import { readSettings } from '../services/settings/settings-repo';
import { notificationText, quitsWhenWindowsClose, trayLabels, type MainTranslator } from './background';

/** Started with this flag at login: run in the tray without opening a window. */
export const HIDDEN_FLAG = '--hidden';

const ONLINE_POLL_MS = 15_000;

export interface BackgroundGlue {
  /** Shows an OS notification for a scheduler outcome when the user's settings ask for it. */
  notify(change: SchedulerChange): void;
  /** Applies settings that live outside the window: start at login, and the tray's language. */
  applySettings(settings: Settings): void;
  quitsWhenWindowsClose(): boolean;
  dispose(): void;
}

/**
 * The platform side of publishing in the background: the tray, sleep/resume and online status
 * fed to the scheduler, OS notifications, and start at login.
 */
export function startBackground(options: {
  /** The open store, if any: a restore or import replaces it, and recovery may have none yet. */
  backend: () => Backend | undefined;
  translator: MainTranslator;
  iconPath: string;
  showWindow(): void;
}): BackgroundGlue {
  const { backend, translator, showWindow } = options;
  const { t } = translator;
  const scheduler = () => backend()?.services.scheduler;

  // After sleep the timers fired late or not at all: look at the queue now.
  powerMonitor.on('resume', () => scheduler()?.wake({ resumed: true }));
  powerMonitor.on('unlock-screen', () => scheduler()?.wake());
  let online = net.isOnline();
  scheduler()?.setOnline(online);
  const poll = setInterval(() => {
    const now = net.isOnline();
    if (now === online) return;
    online = now;
    scheduler()?.setOnline(now);
  }, ONLINE_POLL_MS);

  const tray = new Tray(nativeImage.createFromPath(options.iconPath).resize({ width: 18, height: 18 }));
  // Built again when the interface's language changes.
  const label = () => {
    const labels = trayLabels(t);
    tray.setToolTip(labels.tooltip);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: labels.open, click: showWindow },
        { type: 'separator' },
        { label: labels.quit, click: () => app.quit() },
      ]),
    );
  };
  label();
  tray.on('click', showWindow);

  return {
    notify: (change) => {
      if (!Notification.isSupported()) return;
      const open = backend();
      if (!open) return;
      const plan = planNotification(open.services.db, readSettings(open.services.db), change);
      if (!plan) return;
      const notification = new Notification(notificationText(plan, t));
      notification.on('click', showWindow);
      notification.show();
    },
    applySettings: (settings) => {
      setStartAtLogin(settings.startAtLogin);
      const before = translator.language;
      void translator.use(settings.language).then(() => {
        if (translator.language !== before) label();
      });
    },
    quitsWhenWindowsClose: () => {
      const open = backend();
      // Nothing publishes while recovery waits: closing the window quits.
      return open ? quitsWhenWindowsClose(readSettings(open.services.db), process.platform) : true;
    },
    dispose: () => {
      clearInterval(poll);
      tray.destroy();
    },
  };
}

function setStartAtLogin(enabled: boolean): void {
  if (process.platform === 'linux') {
    // Electron's login items cover macOS and Windows; Linux desktops read an XDG autostart entry.
    const dir = join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart');
    const file = join(dir, 'outpost.desktop');
    if (!enabled) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(dir, { recursive: true });
    const exec = [process.execPath, ...(app.isPackaged ? [] : [app.getAppPath()]), HIDDEN_FLAG].map((p) => `"${p}"`).join(' ');
    writeFileSync(file, `[Desktop Entry]\nType=Application\nName=Outpost\nExec=${exec}\nX-GNOME-Autostart-enabled=true\n`);
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_FLAG] });
}
