/** 简体中文: end-to-end encryption in the room (see en.ts). */
import type { E2eeCatalog } from './en.js';

export const e2eeZhHans: E2eeCatalog = {
  e2ee: {
    lock: {
      encrypted: '端到端加密',
      waiting: '正在等待加密密钥',
      warning: '加密警告：参会者名单不一致',
      failed: '无法解密本次会议',
    },
    lockTitle: '{{state}}。查看安全码',
    dialog: {
      title: '加密',
      encrypted_one:
        '音频、视频和聊天均为端到端加密。只有加密组中的 {{count}} 人能解密；服务器只转发它无法读取的内容。',
      encrypted_other:
        '音频、视频和聊天均为端到端加密。只有加密组中的 {{count}} 人能解密；服务器只转发它无法读取的内容。',
      waiting: '你的浏览器正在加入加密组。密钥到达之前，不会发送或显示任何内容。',
      warning: '服务器的参会者名单与加密组不一致：可能有未经宣布的人在收听。“参会者”面板列出了持有密钥的人。',
      codeLabel: '安全码',
      codeHow:
        '会议中的每个人看到的安全码都相同。请逐组大声读出，并请其他人与自己看到的核对。如果不同，说明可能有人在你们之间拦截。',
      codeChanges: '每当有人加入或离开，安全码都会改变：之后请再核对一次。',
      noCode: '还没有安全码：密钥到达后就会显示。',
      showPeople: '查看谁能解密',
    },
    codeChanged: '安全码已改变，请再核对一次。',
    showCode: '查看安全码',
    joined: '{{name}} 已加入加密组，可以解密。',
    left: '{{name}} 已离开加密组，无法再解密。',
    warning: {
      title: '警告：服务器的参会者名单与加密组不一致。',
      body: '可能有未经宣布的人在收听。',
      unannounced: '在加密组中但未经宣布：{{names}}。',
      missing: '已宣布但不在加密组中：{{names}}。',
      details: '查看参会者',
      unknownName: '未知（{{id}}）',
    },
    failed: {
      title: '无法解密本次会议',
      body: '你看不到也听不到会议中的任何内容，你发送的内容也无法被读取。',
    },
    failure: {
      e2ee_unsupported: '此浏览器无法对通话进行端到端加密。请在电脑上使用最新版本的浏览器加入。',
      mls_join_failed: '你的浏览器无法加入加密组。请离开后重新加入。',
      mls_removed: '你已被移出加密组：此后发送的任何内容你都无法解密。',
      keys_missing: '本次会议的密钥没有到达你的浏览器。请离开后重新加入。',
      unknown: '你的浏览器加密失败（{{code}}）。请离开后重新加入。',
    },
    tileWaiting: '正在等待加密密钥',
    people: {
      note: '此名单就是你的浏览器亲自核验的加密组：名单中的每个人都能解密。',
      identities: '访客：名字由本人输入，未经核验。已登录账户：由此服务器在登录时核验。',
      guest: '访客（名字未经核验）',
      account: '已登录账户',
      notInGroup: '不在加密组中：无法解密',
      duplicate: '与他人同名：请核对安全码',
      ghost: '未经服务器宣布，但能解密',
      unknownName: '未知名字',
    },
  },
};
